from . import meeting_text
from . import zoom_client
