"""API tokens with a life (docs/architecture.md, "API tokens").

A person asks for a token with their NIP and password (POST /api/token/, behind
the same lockout as the login page) and gets a new random key, shown once; only
its SHA-256 is stored. A token ends:
- after `API_TOKEN_IDLE_DAYS` without use (default 30),
- at `API_TOKEN_MAX_AGE_DAYS` after it was made (default 365),
- when its owner revokes it on their profile or through the API,
- when the owner's password is changed or reset, the account is deactivated or
  the owner's roles change (every token of the person at once).
Creation, use (at most one record per token per hour) and revocation are in the
audit trail.
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from kinerja.audit.services import record

from .models import ApiToken, User

USE_RECORDED_EVERY = dt.timedelta(hours=1)

# Why every token of a person was revoked (ApiToken.revoked_reason).
BY_OWNER = "owner"
PASSWORD_CHANGED = "password_changed"  # noqa: S105 - a reason code, not a password
PASSWORD_RESET = "password_reset"  # noqa: S105 - a reason code, not a password
DEACTIVATED = "deactivated"
ROLES_CHANGED = "roles_changed"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def idle_limit() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "API_TOKEN_IDLE_DAYS", 30))


def age_limit() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "API_TOKEN_MAX_AGE_DAYS", 365))


def expires_at(token: ApiToken) -> dt.datetime:
    """When the token ends if nobody revokes it: the earlier of its idle and age limits."""
    last = token.last_used_at or token.created_at
    return min(last + idle_limit(), token.created_at + age_limit())


def is_live(token: ApiToken, now: dt.datetime | None = None) -> bool:
    return token.revoked_at is None and (now or timezone.now()) < expires_at(token)


def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`: the row and the key (shown once, never stored)."""
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user, key_hash=_hash(key), prefix=key[:8], name=(name or "").strip()[:100]
    )
    record(
        "auth.token.create",
        actor=user,
        agency=user.agency,
        target=user,
        after={"token": token.prefix, "name": token.name},
    )
    return token, key


def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """The owner revokes one of their tokens (the caller fetched it among the owner's own)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_reason = BY_OWNER
        token.save(update_fields=["revoked_at", "revoked_reason"])
        record(
            "auth.token.revoke",
            actor=actor,
            agency=token.user.agency,
            target=token.user,
            after={"token": token.prefix, "reason": BY_OWNER},
        )
    return token


def tokens_revoke_all(*, user: User, reason: str, actor: User | None = None) -> int:
    """Revoke every live token of `user` (password change or reset, deactivation,
    a change of roles); one audit record when any was live."""
    n = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )
    if n:
        record(
            "auth.token.revoke",
            actor=actor,
            agency=user.agency,
            target=user,
            after={"tokens": n, "reason": reason},
        )
    return n


def live_tokens(user: User) -> list[ApiToken]:
    """The person's tokens that still work, newest first (for their profile)."""
    now = timezone.now()
    live = []
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        if is_live(token, now):
            token.expires = expires_at(token)
            live.append(token)
    return live


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against ApiToken: revoked, idle, too old or
    of an inactive account → 401."""

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = (
            ApiToken.objects.select_related("user", "user__agency")
            .filter(key_hash=_hash(key), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Token tidak valid atau sudah dicabut."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Akun pemilik token tidak aktif."))
        now = timezone.now()
        if not is_live(token, now):
            raise exceptions.AuthenticationFailed(
                _("Token sudah kedaluwarsa; minta token baru di /api/token/.")
            )
        if token.last_used_at is None or now - token.last_used_at >= USE_RECORDED_EVERY:
            with transaction.atomic():
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
                record(
                    "auth.token.use",
                    actor=token.user,
                    agency=token.user.agency,
                    target=token.user,
                    after={"token": token.prefix},
                )
        return token.user, token
