from odoo import models

from ..services.recurrence import RULE_FIELDS, zoom_recurrence


class CalendarRecurrence(models.Model):
    _inherit = "calendar.recurrence"

    def _zoom_rule(self):
        """The rule as the plain values the Zoom recurrence is built from."""
        self.ensure_one()
        return {name: self[name] for name in RULE_FIELDS}

    def _zoom_series(self, event, tz):
        """(meeting type, Zoom recurrence, occurrence intervals) of a series starting with ``event``."""
        self.ensure_one()
        rule = self._zoom_rule()
        meeting_type, recurrence = zoom_recurrence(rule, tz)
        # Calculated on a scratch copy: calendar's calculation may change the count on the way.
        scratch = self.new(dict(rule, event_tz=self.event_tz or tz))
        intervals = sorted(scratch._range_calculation(event, event.stop - event.start))
        return meeting_type, recurrence, intervals
