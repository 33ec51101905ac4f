"""Recording and Zoom's AI summary of an interview, each off, always, or only with the
candidate's consent.

A feature's *mode* follows from the company's choice for it (the Zoom setting) and its
condition: ``off`` (no recording / summary off: herp_zoom turns it off), ``zoom`` (Zoom's own
default or a meeting template: the Zoom account decides, herp_zoom sends nothing), ``always``,
or ``consent`` (on only for meetings whose candidate consented; an interview without a
candidate who can consent, such as one without applicant, has it off).
"""

OFF, ZOOM, ALWAYS, CONSENT = "off", "zoom", "always", "consent"
CONDITIONS = (ALWAYS, CONSENT)
RECORDING, SUMMARY = "auto_recording", "auto_start_meeting_summary"
# Zoom's settings the consent governs, with the value that turns each off.
OFF_VALUES = {RECORDING: "none", SUMMARY: False}
# The company's choice of each setting that means "off".
OFF_CHOICES = {RECORDING: "none", SUMMARY: "off"}


def feature_mode(key, choice, condition):
    """The mode of the setting ``key`` for the company's ``choice`` and ``condition``."""
    if choice == OFF_CHOICES[key]:
        return OFF
    if not choice or choice == ZOOM:
        return ZOOM
    return ALWAYS if condition == ALWAYS else CONSENT


def needs_consent(modes):
    return CONSENT in modes.values()


def with_consent(settings, modes, consent):
    """The create request's ``settings`` with every setting that needs a consent the candidate
    did not give turned off (a setting the account refused stays left out)."""
    body = dict(settings)
    for key, mode in modes.items():
        if mode == CONSENT and not consent and key in body:
            body[key] = OFF_VALUES[key]
    return body


def consent_update(settings, modes, consent):
    """What an update of an existing meeting sends when the consent changed: the settings that
    depend on it, on (as the company chose) or off."""
    return {key: settings[key] if consent else OFF_VALUES[key]
            for key, mode in modes.items() if mode == CONSENT and key in settings}


def may_bring_back(mode, consent):
    """Whether what Zoom made of a feature (the summary, the recording's link) may be fetched and
    stored: where the company turns it on always, leaves it to Zoom, or the candidate consented.
    With the feature off nobody was asked, so nothing is brought back either."""
    return mode in (ALWAYS, ZOOM) or (mode == CONSENT and bool(consent))
