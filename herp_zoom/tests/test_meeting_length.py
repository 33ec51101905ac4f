from datetime import datetime

from odoo.tests import tagged

from .common import ZoomCommon
from .dates import YEAR


@tagged("post_install", "-at_install")
class TestMeetingLength(ZoomCommon):
    def test_event_longer_than_a_day_gets_a_meeting_of_zoom_longest_duration(self):
        # Zoom refuses a scheduled meeting longer than 1440 minutes (validation error 300).
        with self.zoom() as fake:
            event = self.create_interview(start=datetime(YEAR, 3, 4, 1, 0), hours=58)
        self.assertEqual(len(fake.create_requests), 1)
        self.assertEqual(fake.create_requests[0][1]["duration"], 1440)
        self.assertIssued(event, fake, self.zoom_interviewer)
