from . import test_recruitment
