"""The unit tests' Zoom fake holds the code under test, and itself, to Zoom's OpenAPI descriptions:
a request Zoom would refuse, or an answer Zoom would never give, fails the test."""

import requests

from odoo.tests import tagged

from .common import API_URL, ZoomCommon, ZoomContractViolation, fake_zoom, zoom_user
from .dates import YEAR

INTERVIEWER = zoom_user("zu_interviewer", "interviewer@zoom.example")
MEETING = {"topic": "Interview: Chika", "type": 2, "start_time": f"{YEAR}-03-04T01:00:00Z", "duration": 60,
           "timezone": "UTC"}


@tagged("post_install", "-at_install")
class TestZoomFakeContract(ZoomCommon):
    def test_a_valid_meeting_request_and_its_answer_pass(self):
        with fake_zoom(INTERVIEWER) as fake:
            answer = requests.post(f"{API_URL}/users/zu_interviewer/meetings", json=MEETING, timeout=5)
        self.assertEqual(answer.status_code, 201)
        self.assertEqual(len(fake.sent), 1)

    def test_a_meeting_body_with_a_wrong_type_fails_the_test(self):
        with self.assertRaisesRegex(ZoomContractViolation, r"1 call\(s\) to the Zoom fake break[^\n]*\n"
                                    r"POST /users/zu_interviewer/meetings: request refused by Zoom's "
                                    r"description: Failed to cast value to integer type: sixty$"):
            with fake_zoom(INTERVIEWER):
                requests.post(f"{API_URL}/users/zu_interviewer/meetings", json=dict(MEETING, duration="sixty"),
                              timeout=5)

    def test_a_canned_answer_zoom_would_not_give_fails_the_test(self):
        with self.assertRaisesRegex(ZoomContractViolation, r"answer 503 Zoom would not give: POST "
                                    r"/users/zu_interviewer/meetings: .*is not Zoom's \{code, message\}"):
            with fake_zoom(INTERVIEWER) as fake:
                fake.fail_next("POST", 503, {"error": "unavailable"})
                requests.post(f"{API_URL}/users/zu_interviewer/meetings", json=MEETING, timeout=5)

    def test_a_zoom_user_answer_with_a_wrong_type_fails_the_test(self):
        with self.assertRaisesRegex(ZoomContractViolation, r"answer 200 Zoom would not give: GET "
                                    r"/users/zu_interviewer: .*'licensed' is not of type 'integer'"):
            with fake_zoom(dict(INTERVIEWER, type="licensed")):
                requests.get(f"{API_URL}/users/zu_interviewer", timeout=5)

    def test_the_code_under_test_is_checked_too(self):
        """An interview's meeting request, as herp_zoom sends it, passes; a broken one would fail."""
        with self.zoom() as fake:
            event = self.create_interview()
        self.assertIssued(event, fake, self.zoom_interviewer)
        self.assertEqual([call.request.method for call in fake.sent], ["POST"])
