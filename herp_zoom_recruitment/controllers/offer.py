"""The candidate's page of an interview slot offer (public: every parameter is hostile)."""

import hashlib
import logging
import re
from urllib.parse import quote, urlencode

import pytz
from babel.dates import format_date

from odoo import http
from odoo.http import request
from odoo.tools.misc import babel_locale_parse

from odoo.addons.herp_zoom.services.slot_finder import group_by_day

from ..models.interview_offer_booking import SlotTaken
from ..models.interview_offer_request import MAX_PER_ADDRESS, MAX_PER_TOKEN

# Codes of the messages shown after a redirect; the text itself never comes from the URL.
NOTICES = ("booked", "moved", "cancelled", "consent")
OFFER_PATH = re.compile(r"(/interview/offer/)[^/?\s\"]+")


class HideOfferTokens(logging.Filter):
    """The request log shows the candidates' pages without their links' tokens."""

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = OFFER_PATH.sub(r"\1***", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(OFFER_PATH.sub(r"\1***", arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


if not any(isinstance(existing, HideOfferTokens) for existing in logging.getLogger("werkzeug").filters):
    logging.getLogger("werkzeug").addFilter(HideOfferTokens())


class InterviewOfferController(http.Controller):

    # ------------------------------------------------------------------ helpers
    def _allowed(self, token):
        digest = hashlib.sha256((token or "").encode()).hexdigest()[:32]
        address = request.httprequest.remote_addr or "-"
        return request.env["herp_zoom.interview.offer.request"].sudo()._allow(
            [("token:" + digest, MAX_PER_TOKEN), ("address:" + address, MAX_PER_ADDRESS)])

    def _lang(self, offer, lang):
        installed = {code for code, _name in request.env["res.lang"].get_installed()}
        for code in (lang, offer and offer.partner_id.lang, "en_US"):
            if code in installed:
                return code
        return next(iter(installed))

    def _env(self, offer, lang):
        """The request's environment in the language chosen on the page (not the browser's)."""
        return request.env(context=dict(request.env.context, lang=self._lang(offer, lang)))

    def _tz(self, offer, tz):
        # Asked for, else the browser's (the frontend layout stores it in a cookie), else the partner's.
        for name in (tz, request.httprequest.cookies.get("tz"), offer and offer.partner_id.tz):
            if name in pytz.all_timezones_set:
                return name
        return "UTC"

    def _render(self, template_values, status=200, offer=None, lang=None, tz=None):
        lang = self._lang(offer, lang)
        tz = self._tz(offer, tz)
        languages = request.env["res.lang"].get_installed()
        values = dict(template_values, offer=offer, lang=lang, tz=tz, languages=languages,
                      csrf_token=request.csrf_token(),
                      # An alias the browser gave (Asia/Calcutta) stays selectable.
                      timezones=pytz.common_timezones + ([tz] if tz not in pytz.common_timezones else []))
        if offer:
            values["company"] = offer.company_id
            values.setdefault("days", [])
        html = request.env["ir.ui.view"].with_context(lang=lang, tz=tz)._render_template(
            "herp_zoom_recruitment.interview_offer_page", values)
        return request.make_response(html, status=status, headers=[("Cache-Control", "no-store"),
                                                                    ("X-Robots-Tag", "noindex")])

    def _message_page(self, message, status, offer=None, lang=None, tz=None):
        return self._render({"message": message, "days": [], "show_slots": False}, status, offer, lang, tz)

    def _page(self, offer, lang, tz, notice=None, error=None, status=200):
        offer = offer.with_env(self._env(offer, lang)).sudo()
        problem = offer._link_problem()
        if problem:
            return self._message_page(problem, 410, offer, lang, tz)
        tz = self._tz(offer, tz)
        zone = pytz.timezone(tz)
        show_slots = offer.state == "sent" or offer._can_change()
        days = []
        if show_slots:
            slots = {(slot.start, slot.stop): slot for slot in offer._open_slots()}
            grouped = group_by_day(list(slots), lambda moment: pytz.utc.localize(moment).astimezone(zone))
            locale = babel_locale_parse(self._lang(offer, lang))
            days = [(format_date(day, format="full", locale=locale),
                     [(slots[(start, stop)], f"{local_start:%H:%M}", f"{local_stop:%H:%M}")
                      for start, stop, local_start, local_stop in items]) for day, items in grouped]
        event = offer.event_id if offer.state == "booked" else None
        when = None
        if event:
            local_start = pytz.utc.localize(event.start).astimezone(zone)
            local_stop = pytz.utc.localize(event.stop).astimezone(zone)
            when = "%s %s - %s" % (format_date(local_start.date(), format="full",
                                               locale=babel_locale_parse(self._lang(offer, lang))),
                                   f"{local_start:%H:%M}", f"{local_stop:%H:%M}")
        consent_asked = offer._consent_asked()
        return self._render({
            "days": days, "show_slots": show_slots, "event": event, "when": when, "notice": notice if notice in NOTICES else None, "error": error,
            "can_change": offer._can_change(), "token": offer.access_token,
            "consent_asked": consent_asked, "consent_given": offer.applicant_id.zoom_consent == "given",
            "consent_text": consent_asked and offer._consent_text(self._lang(offer, lang)),
        }, status, offer, lang, tz)

    def _redirect(self, offer, lang, tz, notice):
        query = urlencode({"lang": self._lang(offer, lang), "tz": self._tz(offer, tz), "notice": notice})
        return request.redirect(f"/interview/offer/{offer.access_token}?{query}", local=True)

    def _checked_post(self, token, csrf_token, revision, lang, tz):
        """(offer, None) when the form may be processed, else (offer or None, response)."""
        if not self._allowed(token):
            return None, self._message_page(self._env(None, lang)._("Too many requests. Please wait a few minutes "
                                                                    "and try again."), 429, lang=lang, tz=tz)
        offer = request.env["herp_zoom.interview.offer"]._from_token(token)
        if not offer:
            return None, self._message_page(self._env(None, lang)._("This link is not valid."), 404, lang=lang, tz=tz)
        env = self._env(offer, lang)
        offer = offer.with_env(env).sudo()
        if not csrf_token or not request.validate_csrf(csrf_token):
            return offer, self._message_page(env._("This form has expired. Please open your link again."),
                                             400, offer, lang, tz)
        problem = offer._link_problem()
        if problem:
            return offer, self._message_page(problem, 410, offer, lang, tz)
        if str(offer.revision) != (revision or ""):
            return offer, self._page(offer, lang, tz, status=409, error=env._(
                "This form was already sent. Nothing was changed."))
        return offer, None

    # ------------------------------------------------------------------ routes
    @http.route("/interview/offer/<string:token>", type="http", auth="public", methods=["GET"], sitemap=False)
    def offer_page(self, token, lang=None, tz=None, notice=None, **_kwargs):
        if not self._allowed(token):
            return self._message_page(self._env(None, lang)._("Too many requests. Please wait a few minutes and try "
                                                              "again."), 429, lang=lang, tz=tz)
        offer = request.env["herp_zoom.interview.offer"]._from_token(token)
        if not offer:
            return self._message_page(self._env(None, lang)._("This link is not valid."), 404, lang=lang, tz=tz)
        return self._page(offer, lang, tz, notice=notice)

    @http.route(["/interview/offer/<string:token>/book", "/interview/offer/<string:token>/cancel",
                 "/interview/offer/<string:token>/consent"], type="http", auth="public", methods=["GET"],
                sitemap=False)
    def offer_form_address(self, token, lang=None, tz=None, **_kwargs):
        """A form's address opened from the address bar or a bookmark: the page itself."""
        query = urlencode({key: value for key, value in (("lang", lang), ("tz", tz)) if value})
        return request.redirect(f"/interview/offer/{quote(token, safe='')}" + (f"?{query}" if query else ""),
                                code=303, local=True)

    @http.route("/interview/offer/<string:token>/book", type="http", auth="public", methods=["POST"], csrf=False,
                sitemap=False)
    def offer_book(self, token, csrf_token=None, slot=None, revision=None, lang=None, tz=None, consent=None,
                   **_kwargs):
        # CSRF is checked in _checked_post, to answer with a page the candidate understands.
        offer, response = self._checked_post(token, csrf_token, revision, lang, tz)
        if response:
            return response
        if offer.state == "booked" and not offer._can_change():
            return self._page(offer, lang, tz, status=409, error=offer.env._(
                "Your interview can no longer be changed here. Please contact the recruiter."))
        chosen = offer.slot_ids.filtered(lambda line: line.offered and str(line.id) == (slot or ""))
        if not chosen:
            return self._page(offer, lang, tz, status=400, error=offer.env._(
                "Please pick one of the times offered below."))
        moving = offer.state == "booked"
        # The consent box is on the first booking's form; moving keeps the answer given.
        given = None if moving or not offer._consent_asked() else consent == "yes"
        try:
            offer._book_slot(chosen, consent=given)
        except SlotTaken:
            return self._page(offer, lang, tz, status=409, error=offer.env._(
                "Sorry, this time was just taken. Please pick another one."))
        return self._redirect(offer, lang, tz, "moved" if moving else "booked")

    @http.route("/interview/offer/<string:token>/cancel", type="http", auth="public", methods=["POST"], csrf=False,
                sitemap=False)
    def offer_cancel(self, token, csrf_token=None, revision=None, lang=None, tz=None, **_kwargs):
        offer, response = self._checked_post(token, csrf_token, revision, lang, tz)
        if response:
            return response
        if not offer._can_change():
            return self._page(offer, lang, tz, status=409, error=offer.env._(
                "Your interview can no longer be cancelled here. Please contact the recruiter."))
        offer._cancel_booking()
        return self._message_page(offer.env._("Your interview was cancelled. The recruiter has been told."),
                                  200, offer, lang, tz)

    @http.route("/interview/offer/<string:token>/consent", type="http", auth="public", methods=["POST"], csrf=False,
                sitemap=False)
    def offer_consent(self, token, csrf_token=None, revision=None, lang=None, tz=None, consent=None, **_kwargs):
        """The candidate gives or withdraws their consent to recording and summary of the booked interview."""
        offer, response = self._checked_post(token, csrf_token, revision, lang, tz)
        if response:
            return response
        if offer.state != "booked" or not offer._consent_asked():
            return self._page(offer, lang, tz, status=409, error=offer.env._(
                "Nothing to consent to here any more. Please contact the recruiter."))
        offer._set_candidate_consent(consent == "yes")
        return self._redirect(offer, lang, tz, "consent")
