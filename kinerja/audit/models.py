"""The audit trail: one append-only table that every feature writes to.

UU 27/2022 (personal data protection) asks for a record of who processed whose
data; PermenPANRB 6/2022 asks that evaluations be traceable. Rows are never
updated or deleted by the application.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AuditEvent(models.Model):
    class Outcome(models.TextChoices):
        OK = "ok", _("Berhasil")
        DENIED = "denied", _("Ditolak")

    agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OK)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    # The employee whose personal data this event touched (for "who processed my data").
    subject = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-at"]),
            models.Index(fields=["subject", "-at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("peristiwa audit")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")
