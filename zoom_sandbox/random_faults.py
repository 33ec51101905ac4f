"""Faults at random, for load tests: a share of the API requests fails the way Zoom and the
network do (503, a request that times out, 429 with Retry-After, an answer lost after the
meeting was created). Set with ``POST /_sandbox/config``::

    {"fault_rate": 0.05, "fault_kinds": ["unavailable", "timeout", "rate_limited", "lost_answer"],
     "fault_timeout": 21}

Faults on demand (``/_sandbox/faults``) come first; a random fault only strikes a request that
none of them took. Requests Zoom would refuse are refused before either.
"""

import random

FAULT_KINDS = ("unavailable", "timeout", "rate_limited", "lost_answer")
DEFAULTS = {"fault_rate": 0.0, "fault_kinds": list(FAULT_KINDS), "fault_timeout": 21.0}

_random = random.Random()


def random_fault(config, request):
    """A fault in the shape of ``/_sandbox/faults`` for this request, or None."""
    rate = float(config.get("fault_rate") or 0.0)
    if rate <= 0 or not request.path.startswith("/v2/"):
        return None
    if _random.random() >= rate:
        return None
    kinds = [kind for kind in config.get("fault_kinds") or FAULT_KINDS if kind in FAULT_KINDS]
    if not kinds:
        return None
    kind = _random.choice(kinds)
    if kind == "lost_answer" and request.method != "POST":
        # Only a creation can leave something behind whose answer was lost.
        kind = "unavailable"
    fault = {"kind": kind}
    if kind == "unavailable":
        fault.update(status=503, body={"code": 503, "message": "Service Unavailable"})
    elif kind == "timeout":
        fault.update(action="timeout", delay=float(config.get("fault_timeout") or DEFAULTS["fault_timeout"]))
    elif kind == "rate_limited":
        fault.update(status=429, headers={"Retry-After": "1"},
                     body={"code": 429, "message": "You have reached the maximum per-second rate limit for this API. "
                                                   "Try again later."})
    else:
        fault.update(action="drop", after=True)
    return fault
