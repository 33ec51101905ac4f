"""When Odoo tries a Zoom request again after Zoom failed it (issuing, deleting)."""

from datetime import timedelta

# 1, 2, 4, ... minutes after each failure, at most 2 hours apart; given up after this many tries.
MAX_ATTEMPTS = 8
RETRY_BASE_DELAY = timedelta(minutes=1)
RETRY_MAX_DELAY = timedelta(hours=2)


def retry_delay(attempts, retry_after=None):
    """How long to wait after the ``attempts``-th failure, never less than Zoom's Retry-After."""
    delay = min(RETRY_BASE_DELAY * (2 ** (attempts - 1)), RETRY_MAX_DELAY)
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay
