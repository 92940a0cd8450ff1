"""Canonical JSON and its hash: what a printed document or a frozen SKP
version is verified by (the QR page recomputes the same digest)."""

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


def canonical_json(content: Any) -> str:
    """One spelling of `content`: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(
        content, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(content: Any) -> str:
    """The sha256 of the canonical JSON of `content`."""
    return sha256_hex(canonical_json(content))


def plain(content: Any) -> Any:
    """`content` as plain JSON types (Decimal and dates become strings), so that
    a stored snapshot and the hash computed from it agree."""
    return json.loads(canonical_json(content))
