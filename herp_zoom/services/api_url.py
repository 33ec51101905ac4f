"""Which API address of a token response may receive the connection's calls."""

from urllib.parse import urlsplit

# Zoom's API hosts: api.zoom.us and its regional data centres, and Zoom for Government.
ZOOM_API_DOMAINS = ("zoom.us", "zoomgov.com")


def regional_api_url(api_url):
    """The API v2 base URL for the ``api_url`` of Zoom's token response, or None when it is not
    an https address on one of Zoom's domains."""
    if not isinstance(api_url, str) or not api_url:
        return None
    parts = urlsplit(api_url.strip())
    host = parts.hostname or ""
    if parts.scheme != "https" or parts.port or parts.username or parts.netloc != host:
        return None
    if not any(host == domain or host.endswith("." + domain) for domain in ZOOM_API_DOMAINS):
        return None
    return f"https://{host}/v2"
