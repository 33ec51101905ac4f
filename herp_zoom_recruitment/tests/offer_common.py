"""An applicant, a recruiter and a linked interviewer, and the candidate's page opened over HTTP."""

import re
from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user

from odoo.addons.herp_zoom.tests.common import ZoomCommon

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
REVISION = re.compile(r'name="revision" value="([^"]*)"')
SLOT = re.compile(r'id="slot_(\d+)"')


def next_weekday(days=2):
    """A weekday at least ``days`` ahead of Odoo's clock (UTC, whatever the machine's time zone),
    at midnight (naive UTC, as Odoo stores datetimes)."""
    day = fields.Datetime.now().date() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time.min)


class OfferCase(ZoomCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(cls.env, "offer_officer", email="officer@example.com", tz="Asia/Tokyo",
                                    groups="base.group_user,hr_recruitment.group_hr_recruitment_user")
        # Everybody works in Tokyo here: working hours 09:00-18:00 Tokyo = 00:00-09:00 UTC.
        calendar = cls.env["resource.calendar"].create({
            "name": "Tokyo office", "tz": "Asia/Tokyo", "attendance_ids": [(5, 0, 0)] + [
                (0, 0, {"name": f"Day {weekday}", "dayofweek": str(weekday), "hour_from": 9, "hour_to": 18,
                        "day_period": "morning"}) for weekday in range(5)],
        })
        cls.company.resource_calendar_id = calendar
        cls.interviewer.tz = cls.interviewer2.tz = "Asia/Tokyo"
        cls.applicant = cls.env["hr.applicant"].create({"partner_name": "Chika Candidate",
                                                        "email_from": "chika@candidate.example", "user_id": cls.officer.id})
        cls.applicant.partner_id.tz = "Asia/Tokyo"
        cls.other_applicant = cls.env["hr.applicant"].create({"partner_name": "Other Olivia", "email_from": "olivia@else.example",
                                                              "user_id": cls.officer.id})

    def make_offer(self, starts, applicant=None, interviewers=None, send=True):
        """A sent offer of these slot starts (naive UTC), prepared by the officer."""
        offer = self.env["herp_zoom.interview.offer"].with_user(self.officer).create({
            "name": "First interview", "applicant_id": (applicant or self.applicant).id, "duration": 1.0,
            "interviewer_ids": [(6, 0, (interviewers or self.interviewer).ids)],
            "slot_ids": [(0, 0, {"start": start}) for start in starts],
        })
        if send:
            offer.action_send()
        return offer

    def url(self, offer, suffix=""):
        return f"/interview/offer/{offer.sudo().access_token}{suffix}"

    def open_page(self, offer, **params):
        params.setdefault("tz", "Asia/Tokyo")
        response = self.url_open(self.url(offer), params=params) if False else self.opener.get(
            self.base_url() + self.url(offer), params=params, timeout=60)
        return response

    def form_values(self, html):
        return {"csrf_token": CSRF.search(html).group(1), "revision": REVISION.search(html).group(1)}

    def post(self, offer, action, data, follow=True):
        return self.opener.post(self.base_url() + self.url(offer, "/" + action), data=data, timeout=60,
                                allow_redirects=follow)

    def book(self, offer, slot, **extra):
        """Open the page, pick ``slot`` and confirm, as the candidate's browser does."""
        page = self.open_page(offer)
        data = dict(self.form_values(page.text), slot=str(slot.id), tz="Asia/Tokyo", **extra)
        return self.post(offer, "book", data)

    def offer_events(self):
        return self.env["calendar.event"].with_context(active_test=False).search(
            [("applicant_id", "in", (self.applicant | self.other_applicant).ids)])
