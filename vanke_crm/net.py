"""The client's address behind a reverse proxy (production runs behind one)."""

from django.conf import settings


def client_ip(request) -> str:
    """The address the last trusted proxy saw: X-Forwarded-For lists the hops, each
    proxy appending the one it talked to, so with N trusted proxies the client is the
    N-th entry from the right. Entries further left are whatever the client claimed."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if proxies and len(hops) >= proxies:
        return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
