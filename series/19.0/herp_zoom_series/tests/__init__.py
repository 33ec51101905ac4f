from . import test_roles_heading
from . import test_session_rotation
