from . import test_recruitment
from . import test_meeting_results
