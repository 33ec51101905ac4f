from . import zoom_user_link
from . import zoom_setup_check
from . import zoom_link_invitation
