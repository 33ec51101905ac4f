from . import meeting_text
from . import retry
from . import zoom_client
