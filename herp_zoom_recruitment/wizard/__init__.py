from . import interview_offer_wizard
