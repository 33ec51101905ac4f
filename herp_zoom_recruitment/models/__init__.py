from . import calendar_event
from . import hr_applicant
