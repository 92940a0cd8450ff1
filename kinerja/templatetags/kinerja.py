"""Kinerja-wide template filters: ``{% load kinerja %}``."""

from django import template

from kinerja.lib.dates import tanggal as _tanggal

register = template.Library()


@register.filter
def tanggal(value, style=""):
    """``{{ d|tanggal }}`` -> "2 Desember 2026"; ``{{ d|tanggal:"pendek" }}`` -> "02-12-2026";
    ``"jam"`` adds the time, ``"id"`` forces Indonesian (official forms)."""
    return _tanggal(value, style)
