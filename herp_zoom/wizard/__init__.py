from . import zoom_user_link
