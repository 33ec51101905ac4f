"""The setup guide's registry and each setup check, failing and passing, as plain Python."""

import unittest

from odoo.addons.herp_zoom.services import setup_checks as checks
from odoo.addons.herp_zoom.services.meeting_results import RESULT_EVENTS, RESULT_SCOPES
from odoo.addons.herp_zoom.services.setup_guide import (
    FEATURES,
    Feature,
    all_events,
    all_scopes,
    enabled_features,
    needed_events,
    needed_scopes,
    optional_scopes,
    parse_scopes,
    register_feature,
)
from odoo.addons.herp_zoom.utils.zoom_client import ENDPOINT_SCOPES, REQUIRED_SCOPES, RESULT_ENDPOINT_SCOPES


def _(text, **values):
    return text % values if values else text


class TestSetupGuide(unittest.TestCase):
    def test_guide_asks_for_exactly_the_scopes_the_client_uses(self):
        # The guide lists every scope a feature may need, the results' too: what "Check setup" may ask for.
        self.assertEqual(set(all_scopes()), set(REQUIRED_SCOPES) | set(RESULT_SCOPES))
        covered = {scope for feature in FEATURES.values() for scope in feature.scopes}
        self.assertEqual(covered, {*ENDPOINT_SCOPES.values(), *RESULT_ENDPOINT_SCOPES.values(), *RESULT_SCOPES},
                         "every endpoint belongs to a feature")

    def test_features_in_use_decide_scopes_and_events(self):
        basic = enabled_features({}, "oauth")
        self.assertNotIn("meeting:update:meeting:admin", needed_scopes(basic))
        self.assertIn("meeting:delete:meeting:admin", needed_scopes(basic), "rolled-back meetings are deleted")
        updating = enabled_features({"update_meetings": True}, "oauth")
        self.assertIn("meeting:update:meeting:admin", needed_scopes(updating))
        # The plan check's scope is optional: its absence does not fail the scopes check.
        self.assertIn("plan_check", {feature.key for feature in basic})
        self.assertNotIn("user:read:settings:admin", needed_scopes(basic))
        self.assertEqual(optional_scopes(basic), ("user:read:settings:admin",))
        self.assertEqual(set(needed_events(basic)), {"meeting.deleted", "meeting.updated", "app_deauthorized"})
        self.assertNotIn("meeting:read:summary:admin", needed_scopes(basic))
        results = enabled_features({"fetch_meeting_results": True}, "s2s")
        self.assertEqual(set(needed_events(results)), {"meeting.deleted", "meeting.updated", "app_deauthorized",
                                                       *RESULT_EVENTS})
        self.assertTrue(set(RESULT_SCOPES) <= set(needed_scopes(results)))
        self.assertEqual(set(all_events("s2s")), {"meeting.deleted", "meeting.updated", "app_deauthorized",
                                                  *RESULT_EVENTS})

    def test_a_new_feature_registers_its_events(self):
        feature = register_feature(Feature("candidate_booking_test", setting="booking",
                                           endpoints=(("GET", "/users/{userId}"),), events=("meeting.sharing_started",)))
        self.addCleanup(FEATURES.pop, feature.key)
        self.assertIn("meeting.sharing_started", all_events("oauth"))
        self.assertNotIn("meeting.sharing_started", needed_events(enabled_features({}, "oauth")))
        self.assertIn("meeting.sharing_started", needed_events(enabled_features({"booking": True}, "oauth")))

    def test_a_feature_calling_an_endpoint_without_known_scope_is_refused(self):
        with self.assertRaisesRegex(ValueError, "No scope is known"):
            register_feature(Feature("bad", endpoints=(("GET", "/report/meetings"),)))
        self.assertNotIn("bad", FEATURES)

    def test_zoom_scope_answer_is_space_separated(self):
        self.assertEqual(parse_scopes("a:b c:d  e"), {"a:b", "c:d", "e"})
        self.assertEqual(parse_scopes(None), set())


class TestSetupChecks(unittest.TestCase):
    def test_connection(self):
        self.assertEqual(checks.check_connection(_, "disconnected").state, checks.FAILED)
        self.assertIn("no longer accepts", checks.check_connection(_, "reauth").detail)
        failed = checks.check_connection(_, "connected", error="Zoom is unavailable")
        self.assertEqual((failed.state, failed.detail), (checks.FAILED, "Zoom did not answer the test call: Zoom is unavailable"))
        ok = checks.check_connection(_, "connected", answer={"account_id": "acct", "email": "a@zoom.example"})
        self.assertEqual((ok.state, ok.detail), (checks.OK, "Zoom answered: account acct, signed in as a@zoom.example."))

    def test_scopes_name_the_missing_ones(self):
        needed = ("user:read:user:admin", "meeting:write:meeting:admin", "meeting:update:meeting:admin")
        missing = checks.check_scopes(_, True, {"user:read:user:admin"}, needed)
        self.assertEqual(missing.state, checks.FAILED)
        self.assertEqual(missing.detail,
                         "Missing for the features in use: meeting:write:meeting:admin, meeting:update:meeting:admin")
        self.assertEqual(checks.check_scopes(_, True, set(needed) | {"extra"}, needed).state, checks.OK)
        self.assertEqual(checks.check_scopes(_, True, None, needed).state, checks.WARNING)
        self.assertEqual(checks.check_scopes(_, False, set(needed), needed).state, checks.WARNING)

    def test_base_url_must_be_public_https(self):
        for url in ("http://hr.example.com", "https://localhost:8069", "https://127.0.0.1", "https://10.0.0.5",
                    "https://odoo", "https://odoo.local", "", None, "https://[::1]:8069"):
            with self.subTest(url=url):
                self.assertEqual(checks.check_base_url(_, url).state, checks.FAILED)
        self.assertEqual(checks.check_base_url(_, "https://hr.example.com").state, checks.OK)
        self.assertEqual(checks.check_base_url(_, "https://8.8.8.8").state, checks.OK)

    def test_webhook_secret_and_last_delivery(self):
        self.assertEqual(checks.check_webhook(_, False, "oauth").state, checks.FAILED)
        self.assertEqual(checks.check_webhook(_, False, "s2s").state, checks.WARNING)
        never = checks.check_webhook(_, True, "oauth")
        self.assertEqual(never.state, checks.INFO)
        self.assertIn("No verified delivery yet", never.detail)
        delivered = checks.check_webhook(_, True, "oauth", last_delivery="11/26/2026 10:00:00")
        self.assertEqual((delivered.state, delivered.detail),
                         (checks.OK, "Secret token set. Last verified delivery: 11/26/2026 10:00:00."))

    def test_retry_cron(self):
        inactive = checks.check_retry_cron(_, True, False)
        self.assertEqual((inactive.state, inactive.action), (checks.FAILED, "retry_cron"))
        self.assertEqual(checks.check_retry_cron(_, False, False).action, "")
        self.assertEqual(checks.check_retry_cron(_, True, True).state, checks.OK)

    def test_linked_users(self):
        self.assertEqual(checks.check_linked_users(_, 0, 0).state, checks.WARNING)
        nobody = checks.check_linked_users(_, 4, 0)
        self.assertEqual((nobody.state, nobody.action), (checks.WARNING, "unlinked_users"))
        some = checks.check_linked_users(_, 4, 3)
        self.assertEqual((some.state, some.action, some.detail),
                         (checks.INFO, "unlinked_users", "3 of the 4 users with a Zoom role linked a Zoom user."))
        self.assertEqual(checks.check_linked_users(_, 4, 4).state, checks.OK)

    def test_simultaneous_meetings_against_the_plan(self):
        self.assertEqual(checks.check_simultaneous_meetings(_, 2, "None").state, checks.FAILED)
        self.assertEqual(checks.check_simultaneous_meetings(_, 2, "Basic").state, checks.OK)
        self.assertEqual(checks.check_simultaneous_meetings(_, 1, "None").state, checks.OK)
        missing = checks.check_simultaneous_meetings(_, 2, None, missing_scope="user:read:settings:admin")
        self.assertEqual(missing.state, checks.INFO)
        self.assertIn("grant the scope user:read:settings:admin to let the check compare", missing.detail)
        refused = checks.check_simultaneous_meetings(_, 2, None, unknown_reason="Zoom could not be reached.")
        self.assertTrue(refused.detail.endswith("unknown. Zoom could not be reached."))
        unknown = checks.check_simultaneous_meetings(_, 2, None)
        self.assertEqual(unknown.state, checks.INFO)
        self.assertIn("unknown", unknown.detail)
