from . import test_recruitment
from . import test_meeting_results
from . import test_interview_offer
from . import test_offer_concurrency
from . import test_offer_public_page
from . import test_offer_tour
from . import test_offer_security
from . import test_recording_consent
