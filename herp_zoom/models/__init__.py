from . import zoom_account
from . import zoom_host
from . import zoom_webhook_delivery
from . import res_users
from . import res_partner
from . import res_config_settings
from . import calendar_event
from . import mail_template
