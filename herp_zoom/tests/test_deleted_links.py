"""A meeting deleted in Zoom, or with its interview, leaves no dead link in Google or Outlook."""

from odoo.tests import tagged

from .test_propagation import DESCRIPTION, SyncCommon


@tagged("post_install", "-at_install")
class TestDeletedMeetingLinks(SyncCommon):
    def test_meeting_deleted_in_zoom_is_removed_from_google_and_outlook(self):
        self.sync_with_google(self.recruiter)
        self.sync_with_outlook(self.recruiter)
        with self.zoom(), self.google_api(), self.outlook_api():
            event = self.create_interview(description=DESCRIPTION)
            self.run_after_commit()
            self.account._handle_webhook({
                "event": "meeting.deleted", "event_ts": 1700000000000,
                "payload": {"account_id": self.account.zoom_account_id, "operator": "owner@zoom.example",
                            "object": {"id": int(event.zoom_meeting_id), "uuid": "abc=="}},
            })
            self.assertTrue(event.need_sync)
            self.assertTrue(event.need_sync_m)
        # What the next synchronisation of the recruiter's calendars sends.
        google_values = event.with_user(self.recruiter)._google_values()
        self.assertEqual(google_values["description"], str(event.description))
        # No Meet link in its place (Odoo 19 sends conferenceData None: no conference, as before).
        self.assertIsNone(google_values.get("conferenceData"))
        outlook_values = event.with_user(self.recruiter)._microsoft_values(["description", "videocall_location"])
        self.assertNotIn("==== Zoom ====", outlook_values["body"]["content"])
        self.assertFalse(outlook_values["isOnlineMeeting"], "no Teams meeting in its place")
