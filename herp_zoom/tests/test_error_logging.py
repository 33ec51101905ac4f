"""Zoom's failures, raised where no user's language is known (workers serving JSON-RPC, the
scheduled action), leave no warning and stack trace in Odoo's log: the message is told in the
user's language where it is shown."""

from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from ..utils.zoom_client import ZoomRateLimited, ZoomUnavailable, _lt


def raised_without_env():
    return ZoomUnavailable(_lt("Zoom did not answer in time."))


@tagged("post_install", "-at_install")
class TestErrorsWithoutLanguage(TransactionCase):

    def test_no_translation_warning_when_raised_outside_a_request(self):
        with self.assertNoLogs("odoo.tools.translate", level="WARNING"):
            error = raised_without_env()
            limited = ZoomRateLimited(status=429, retry_after=1)
        self.assertEqual(str(error), "Zoom did not answer in time.")
        self.assertEqual(error.message_for(self.env), "Zoom did not answer in time.")
        self.assertTrue(str(limited))
