from . import main
from . import webhook
from . import setup
