"""The texts of the reasons an interview's meeting is in its state (services.reasons), rendered
for whoever reads them, in their language."""

from odoo.tools import LazyTranslate
from odoo.tools.translate import LazyGettext, get_translation

from ..services import reasons as R
from ..services.reasons import Reason

_lt = LazyTranslate(__name__)

TEXTS = {
    R.CHOSEN_NOT_LINKED: _lt(
        "The chosen host %(name)s has no linked Zoom user of the company's Zoom account, so no meeting was "
        "created. Choose another Zoom host (or leave it empty for the automatic choice) and issue the meeting "
        "again."),
    R.CHOSEN_DAILY_LIMIT: _lt(
        "The chosen host %(email)s has reached Zoom's limit of 100 meeting creations per day; the meeting will be "
        "issued with them after 00:00 UTC. Choose another Zoom host to issue it now."),
    R.CHOSEN_NOT_IN_ACCOUNT: _lt(
        "The chosen host %(email)s is no longer a user of the company's Zoom account. Choose another Zoom host and "
        "issue the meeting again."),
    R.CHOSEN_BUSY: _lt(
        "The chosen host %(email)s already hosts an overlapping Zoom meeting (%(dates)s), so candidates may not be "
        "able to join both. Choose another Zoom host if this one cannot be in both."),
    R.ALL_DAILY_LIMIT: _lt(
        "Every linked interviewer has reached Zoom's limit of 100 meeting creations per day; the meeting will be "
        "issued after 00:00 UTC."),
    R.HOST_HELD: _lt(
        "Another save was giving the same interviewer a Zoom meeting at that moment; this meeting will be issued "
        "in a moment."),
    R.ALL_BUSY: _lt(
        "Every linked interviewer already hosts an overlapping Zoom meeting; %(email)s hosts this one too, so "
        "candidates may not be able to join both."),
    R.ORGANIZER_BUSY: _lt(
        "The organizer %(email)s already hosts an overlapping Zoom meeting (%(dates)s) and no other linked "
        "interviewer is free: they host this one too, so candidates may not be able to join both."),
    R.ALL_BUSY_SERIES: _lt(
        "Every linked interviewer already hosts overlapping Zoom meetings; %(email)s hosts this series too, so "
        "candidates may not be able to join both on %(dates)s."),
    R.SETTINGS_REFUSED: _lt(
        "Created without the setting(s) %(settings)s: the company's Zoom account refused them (locked in Zoom or "
        "not on its plan). An administrator can see this on the Zoom connection."),
    R.HOST_DAILY_LIMIT: _lt("%(email)s has reached Zoom's daily limit of meeting creations."),
    R.HOST_NOT_IN_ACCOUNT: _lt("%(email)s is no longer a user of the company's Zoom account."),
    R.ALTERNATIVE_HOSTS_REFUSED: _lt("The other interviewers could not be made alternative hosts."),
    R.FAILED_TIMES: _lt("Zoom failed %(count)s times: %(reason)s"),
    R.NO_LINKED_ATTENDEE: _lt("No attendee of this event has a linked Zoom user of the company's account."),
    R.ALLDAY: _lt("All-day events get no Zoom meeting."),
    R.DELETED_IN_ZOOM: _lt("The Zoom meeting was deleted in Zoom by %(operator)s."),
    R.REMOVED_BY: _lt("The Zoom meeting was removed from the interview by %(user)s."),
    R.LOST_IN_ZOOM: _lt("Zoom no longer has the meeting %(meeting)s."),
}
SOMEONE = _lt("someone")


def render(env, value):
    """The text of reasons (a list, a Reason, or the JSON of services.reasons.encode) in the
    language of ``env``."""
    if not value:
        return ""
    return " ".join(filter(None, (_text(env, item) for item in reasons_of(value))))


def reasons_of(value):
    if isinstance(value, str):
        return R.decode(value)
    if isinstance(value, Reason):
        return [value]
    return list(value)


def _text(env, reason):
    lang = env.lang or "en_US"
    if reason.code == R.TEXT:
        return reason.params.get("text") or ""
    if reason.code == R.ZOOM_ERROR:
        return _message(lang, reason.params)
    template = TEXTS.get(reason.code)
    if template is None:
        return ""
    params = {key: _param(env, key, value) for key, value in reason.params.items()}
    if reason.code == R.SETTINGS_REFUSED:
        # The names the settings screen gives them, in the reader's language.
        params["settings"] = ", ".join(env["zoom.account"]._meeting_setting_labels(reason.params.get("settings") or []))
    return get_translation(template._module, lang, template._source, params)


def _param(env, key, value):
    lang = env.lang or "en_US"
    if isinstance(value, Reason):
        return _text(env, value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if key == "operator" and not value:
        return SOMEONE._translate(lang)
    return value


# -- Zoom's errors
def error_reason(error):
    """The reason of a ZoomError: its own message (a lazy translatable text, or Zoom's words)."""
    return Reason(R.ZOOM_ERROR, _stored(error.lazy_message))


def _stored(message):
    if isinstance(message, LazyGettext):
        args = message._args
        if isinstance(args, dict):
            args = {key: _stored(value) if isinstance(value, LazyGettext) else value for key, value in args.items()}
        else:
            args = [_stored(value) if isinstance(value, LazyGettext) else value for value in args]
        return {"module": message._module, "source": message._source, "args": args}
    return {"text": str(message)}


def _message(lang, stored):
    if "source" not in stored:
        return stored.get("text") or ""
    args = stored.get("args") or ()
    if isinstance(args, dict):
        args = {key: _message(lang, value) if isinstance(value, dict) else value for key, value in args.items()}
    else:
        args = tuple(_message(lang, value) if isinstance(value, dict) else value for value in args)
    return get_translation(stored["module"], lang, stored["source"], args)
