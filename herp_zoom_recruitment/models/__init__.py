from . import calendar_event
from . import hr_applicant
from . import calendar_event_results
