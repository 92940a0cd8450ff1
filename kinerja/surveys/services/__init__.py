"""Writes of the survey app (docs/domain.md §7), one module per subdomain:

- `setup`: the services a unit offers and the periods a survey runs;
- `responses` (with `rate_limits`): a citizen's public answers, flagged when suspicious;
- `moderation`: staff review of flagged answers, hiding comments, complaints;
- `codes`: one-time codes printed on service receipts;
- `kiosks`: a counter's tablet whose answers skip the per-address limit;
- `iki_link`: an IKI taking a service's or unit's IKM as its realisasi, and the sync;
- `exports`: recording exports of a service's data.

Every function is keyword-only, validates, saves in one transaction and records an audit
event (public submissions are anonymous and are not audited one by one: the response row is
the record). Errors are ``ValidationError`` with Indonesian messages, keyed by form field
where a person can correct them; a refused actor is ``PermissionDenied`` with its message.
Callers import from this package: `from kinerja.surveys import services`.
"""

from .codes import codes_generate
from .exports import record_export
from .iki_link import iki_ikm_link, iki_ikm_unlink, ikm_realisasi_sync
from .kiosks import kiosk_for_key, kiosk_issue, kiosk_revoke
from .moderation import (
    complaint_mark,
    complaint_update,
    response_apply_action,
    response_moderate,
    response_review,
)
from .responses import response_submit
from .setup import period_create, period_set_closed, service_create, service_update

__all__ = [
    "codes_generate",
    "complaint_mark",
    "complaint_update",
    "iki_ikm_link",
    "iki_ikm_unlink",
    "ikm_realisasi_sync",
    "kiosk_for_key",
    "kiosk_issue",
    "kiosk_revoke",
    "period_create",
    "period_set_closed",
    "record_export",
    "response_apply_action",
    "response_moderate",
    "response_review",
    "response_submit",
    "service_create",
    "service_update",
]
