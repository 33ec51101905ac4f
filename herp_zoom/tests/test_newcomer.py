"""What a newcomer met in the demo, tried as a new user would: linking with a login that is not an
e-mail, the setup guide's scopes, negative numbers in Settings, and the join details as
candidates and calendars read them."""

import re
import unicodedata
from itertools import product

import vobject

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.mail import email_normalize_all

from ..services.setup_guide import FEATURES, enabled_features, needed_scopes
from .common import ZoomCommon, zoom_user

JOIN_URL = "http://localhost:8999/j/81234567890?pwd=EncaB3xY9"


def visible(text):
    """The text as a reader sees it: without invisible format characters."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


@tagged("post_install", "-at_install")
class TestLinkWithALoginThatIsNotAnEmail(ZoomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.auth_mode = "s2s"
        # A login that is a name, and an e-mail on the contact: the demo's interviewers.
        cls.ichiro = new_test_user(cls.env, "ichiro", name="Ichiro Interviewer", email="ichiro@herp.example",
                                   groups="base.group_user,herp_zoom.group_zoom_guest")

    def test_connect_says_the_login_is_what_counts_and_who_can_link(self):
        with self.zoom() as fake, self.assertRaises(UserError) as caught:
            self.ichiro.with_user(self.ichiro).action_zoom_connect_user()
        self.assertEqual(str(caught.exception), (
            "The company's Zoom account is connected with a Server-to-Server app: it links the Zoom user whose "
            "e-mail is your login, and your login (ichiro) is not an e-mail address. Ask a Zoom administrator to "
            "link your Zoom user from your user form (\"Link Zoom user\")."))
        self.assertFalse(fake.sent, "Zoom is not asked")
        self.assertFalse(self.ichiro.zoom_user_id)

    def test_the_invitation_skips_who_cannot_link_themselves_and_says_how(self):
        newcomer = new_test_user(self.env, "newcomer@herp.example", email="newcomer@herp.example",
                                 groups="base.group_user,herp_zoom.group_zoom_guest")
        before = self.env["mail.mail"].sudo().search([])
        result = self.env["zoom.link.invitation"].with_user(self.zoom_admin).with_context(
            active_model="res.users", active_ids=(self.ichiro | newcomer).ids).create({}).action_send()
        mails = self.env["mail.mail"].sudo().search([]) - before
        # Whom the mail goes to: its "To" addresses (Odoo 18) or its recipients (Odoo 19's templates
        # address the user's contact by default).
        self.assertEqual([email_normalize_all(mail.email_to) + mail.recipient_ids.mapped("email_normalized")
                          for mail in mails], [["newcomer@herp.example"]])
        self.assertIn("Not sent to Ichiro Interviewer: with the Server-to-Server connection their login is not an "
                      "e-mail address; link their Zoom user from their user form.", result["params"]["message"])

    def test_with_the_consent_app_they_sign_in_to_zoom_and_are_invited(self):
        self.account.auth_mode = "oauth"
        action = self.ichiro.with_user(self.ichiro).action_zoom_connect_user()
        self.assertEqual(action["type"], "ir.actions.act_url", "Zoom's sign-in page")
        self.assertEqual(self.ichiro._zoom_invitable(), self.ichiro)

    def test_an_administrator_links_them_from_the_user_form(self):
        wizard = self.env["zoom.user.link"].with_user(self.zoom_admin).create({"user_id": self.ichiro.id})
        self.assertEqual(wizard.zoom_email, "ichiro@herp.example", "the e-mail, not the login, is proposed")
        with self.zoom() as fake:
            fake.add_user(zoom_user("zu_ichiro", "ichiro@herp.example"))
            wizard.action_link()
        self.assertEqual(self.ichiro.zoom_user_id, "zu_ichiro")


@tagged("post_install", "-at_install")
class TestGuideScopes(ZoomCommon):
    def test_the_guide_lists_every_scope_check_setup_may_ask_for(self):
        admin = self.env.ref("base.user_admin")
        switches = ("zoom_update_meetings", "zoom_delete_meetings", "zoom_fetch_meeting_results")
        for mode, values in product(("oauth", "s2s"), product((False, True), repeat=3)):
            settings_values = dict(zip(switches, values), zoom_auth_mode=mode)
            with self.subTest(**settings_values):
                settings = self.env["res.config.settings"].with_user(admin).create(settings_values)
                listed = settings.zoom_required_scopes.split(", ")
                checked = needed_scopes(enabled_features(
                    {switch.removeprefix("zoom_"): value for switch, value in zip(switches, values)}, mode))
                self.assertEqual(set(checked) - set(listed), set(), "Check setup asks for what the guide omits")
        # Nothing listed is asked for by no feature; the optional ones have their own box.
        every = {scope for feature in FEATURES.values() for scope in feature.scopes}
        settings = self.env["res.config.settings"].with_user(admin).create({})
        self.assertEqual(set(settings.zoom_required_scopes.split(", ")) | set(
            settings.zoom_optional_scopes.split(", ")), every)
        self.assertEqual(len(settings.zoom_required_scopes.split(", ")), 10)


@tagged("post_install", "-at_install")
class TestGuideCopyBoxes(ZoomCommon, HttpCase):
    def test_the_copy_boxes_show_their_whole_value(self):
        new_test_user(self.env, "guide_admin", groups="base.group_user,base.group_system", tz="UTC")
        self.start_tour("/odoo", "herp_zoom_guide_copy_tour", login="guide_admin")


@tagged("post_install", "-at_install")
class TestNumberSettings(ZoomCommon):
    RANGES = {
        "zoom_max_concurrent_meetings": (1, 2, "Simultaneous Meetings per Zoom User"),
        "zoom_check_hours_before": (0, 48, "Check Again Hours Before the Start"),
        "zoom_check_max_requests": (1, 10000, "Meeting Reads per Run"),
        "zoom_summary_retention_days": (0, 3650, "Delete Zoom Summaries After (Days)"),
    }

    def test_every_number_out_of_its_range_is_refused_with_the_range(self):
        admin = self.env.ref("base.user_admin")
        for field, (low, high, label) in self.RANGES.items():
            for value in (low - 1, -3, high + 1):
                with self.subTest(field=field, value=value), self.assertRaises(ValidationError) as caught:
                    self.env["res.config.settings"].with_user(admin).create({field: value})
                self.assertEqual(str(caught.exception),
                                 f"{label}: enter a whole number from {low} to {high}; {value} is not allowed.")
        settings = self.env["res.config.settings"].with_user(admin).create(
            {field: high for field, (_low, high, _label) in self.RANGES.items()})
        settings.execute()
        self.assertEqual(self.account.summary_retention_days, 3650)

    def test_a_negative_retention_is_not_stored_as_keep_forever(self):
        admin = self.env.ref("base.user_admin")
        self.account.summary_retention_days = 90
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].with_user(admin).create({"zoom_summary_retention_days": -3}).execute()
        self.assertEqual(self.account.summary_retention_days, 90)

    def test_the_message_is_in_the_administrator_s_language(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"].search([("name", "=", "herp_zoom")])._update_translations(["ja_JP"])
        admin = self.env.ref("base.user_admin")
        admin.lang = "ja_JP"
        with self.assertRaises(ValidationError) as caught:
            # As the web client saves the form: in the user's language.
            self.env["res.config.settings"].with_user(admin).with_context(lang="ja_JP").create(
                {"zoom_check_hours_before": -1})
        self.assertIn("0 から 48 までの整数を入力してください", str(caught.exception))


@tagged("post_install", "-at_install")
class TestJoinDetailsAsReadersSeeThem(ZoomCommon):
    def test_no_visible_markers_and_the_block_is_still_recognised(self):
        with self.zoom():
            event = self.create_interview(description="<p>Second round</p>")
        # The recruiter's text (on Odoo 19 with the contact details calendar adds to a new event).
        own = str(event.description)
        self.assertIn("<p>Second round</p>", own)
        self.assertNotIn("Join Zoom meeting", own)
        outgoing = str(event._get_customer_description())
        self.assertNotIn("====", outgoing)
        self.assertIn(f"Join Zoom meeting: {JOIN_URL}", visible(outgoing))
        # The same description back from Google or Outlook loses the block, not the recruiter's text.
        event.with_context(dont_notify=True).write({"description": outgoing})
        self.assertEqual(str(event.description), own)
        self.assertEqual(visible(str(event._get_customer_description())).count("Join Zoom meeting"), 1)

    def test_the_ics_has_the_link_as_location_and_url(self):
        with self.zoom():
            event = self.create_interview(description="<p>Second round</p>")
        vevent = vobject.readOne(event._get_ics_file()[event.id].decode()).vevent
        self.assertEqual(vevent.location.value, JOIN_URL)
        self.assertEqual(vevent.url.value, JOIN_URL)
        self.assertNotIn("====", vevent.description.value)
        description = visible(vevent.description.value)
        # The interview's text first; the join details on lines of their own (on Odoo 19 after the contact
        # details calendar adds, and before their footnotes).
        self.assertTrue(description.startswith("Second round\n"), description)
        self.assertRegex(description, r"(?:^|\n)" + re.escape(
            f"Join Zoom meeting: {JOIN_URL}\n"
            "Meeting ID: 812 3456 7890\n"
            "Passcode: aB3xY9") + r"(?:\n|$)")

    def test_a_place_of_its_own_stays_the_location(self):
        with self.zoom():
            event = self.create_interview(location="Room 4")
        vevent = vobject.readOne(event._get_ics_file()[event.id].decode()).vevent
        self.assertEqual(vevent.location.value, "Room 4")
        self.assertEqual(vevent.url.value, JOIN_URL)
