from . import test_connection
from . import test_issuance
from . import test_lifecycle
from . import test_webhook
