from . import test_connection
from . import test_i18n
from . import test_issuance
from . import test_lifecycle
from . import test_ui
from . import test_webhook
from . import test_propagation
