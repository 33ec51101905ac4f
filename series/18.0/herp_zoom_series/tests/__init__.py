from . import test_roles_heading
