"""A respondent's network address, and salted hashes of their device and address (pure:
no query, no write).

A response never stores who answered: the device's random cookie and the address are kept
only as salted hashes, to tell a burst from one phone or one network (rate limits).
"""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac


def client_address(request: HttpRequest) -> str:
    """The respondent's network address. Behind the production proxy REMOTE_ADDR is the
    proxy; the proxy sets X-Real-IP."""
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR", "")


def device_hash(device_id: str) -> str:
    return salted_hmac("kinerja.surveys.device", device_id or "").hexdigest() if device_id else ""


def address_hash(address: str) -> str:
    """A salted hash of the network address: never store the address itself (personal data).
    The day is part of the salt, so hashes cannot be linked across days."""
    if not address:
        return ""
    day = timezone.localdate().isoformat()
    return salted_hmac(f"kinerja.surveys.ip.{day}", address).hexdigest()
