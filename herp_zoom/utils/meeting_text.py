"""How a Zoom meeting is written into text that leaves Odoo (descriptions, .ics, agenda)."""

import re

from markupsafe import Markup, escape

# Marks the Zoom block in descriptions sent to external calendars, so that the block is
# recognised (and not duplicated) when the same description comes back from them. The marks are
# invisible (word joiners around a zero-width space or non-joiner): readers see the join details only.
BLOCK_START = "\u2060\u200b\u2060"
BLOCK_END = "\u2060\u200c\u2060"
# The visible marks of earlier versions, still recognised in descriptions written then.
LEGACY_MARKS = (("==== Zoom ====", "==== /Zoom ===="),)

_BLOCK_RE = re.compile(
    r"\s*(?:<p>|<br>|<br/>)*\s*(?:"
    + "|".join(re.escape(start) + r".*?" + re.escape(end) for start, end in ((BLOCK_START, BLOCK_END), *LEGACY_MARKS))
    + r")\s*(?:</p>)?",
    re.DOTALL,
)
# A link of an HTML body: one pattern for every body, not one compiled per meeting's URL.
_LINK_RE = re.compile(r"<a\b[^>]*\bhref=[\"']([^\"']*)[\"'][^>]*>.*?</a>", re.DOTALL)


def format_meeting_id(meeting_id):
    """Zoom's own grouping of meeting IDs: 123 4567 8901."""
    digits = str(meeting_id or "")
    if len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if len(digits) == 10:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return digits


def zoom_lines(join_url, meeting_id, passcode, labels):
    """The lines that describe how to join; ``labels`` holds translated captions."""
    lines = [f"{labels['join']}: {join_url}", f"{labels['meeting_id']}: {format_meeting_id(meeting_id)}"]
    if passcode:
        lines.append(f"{labels['passcode']}: {passcode}")
    return lines


def _marked(lines):
    """The lines with the invisible marks before the first and after the last."""
    return [BLOCK_START + lines[0], *lines[1:-1], lines[-1] + BLOCK_END] if len(lines) > 1 else [
        BLOCK_START + "".join(lines) + BLOCK_END]


def text_block(lines):
    """A plain-text block, delimited (invisibly) so that it can be found again."""
    return "\n".join(_marked(lines))


def html_block(lines):
    """The same block for HTML descriptions."""
    return Markup("<p>%s</p>") % Markup("<br>").join(map(escape, _marked(lines)))


def strip_block(text):
    """The description without any Zoom block previously added to it."""
    if not text or not any(start in text for start, _end in ((BLOCK_START, BLOCK_END), *LEGACY_MARKS)):
        return text
    stripped = _BLOCK_RE.sub("", str(text)).strip()
    return Markup(stripped) if isinstance(text, Markup) else stripped


def add_join_details(body, join_url, lines):
    """An HTML mail body with the meeting ``lines`` after the body's link to ``join_url``.

    The first line (the join URL itself) is left out when the link is found; a body
    without the link gets every line at its end.
    """
    html = str(body)
    href = str(escape(join_url))
    link = next((match for match in _LINK_RE.finditer(html) if match.group(1) == href), None)
    if not link:
        return Markup("%s<p>%s</p>") % (Markup(html), Markup("<br>").join(lines))
    details = Markup("").join(Markup("<br>%s") % line for line in lines[1:])
    return Markup(html[: link.end()]) + details + Markup(html[link.end():])
