from . import calendar_event
from . import hr_applicant
from . import interview_offer
from . import interview_offer_booking
from . import interview_offer_request
from . import interview_offer_slot
from . import res_config_settings
from . import zoom_account
