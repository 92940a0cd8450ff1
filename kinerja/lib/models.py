"""Abstract bases for the rows of an agency.

Every row belongs to one agency (the tenant) and every query is scoped by it.
A model takes `AgencyOwned` for its `agency` foreign key, and `Created` /
`Updated` for the timestamps it keeps. The bases declare exactly the fields the
models declared by hand before, so adopting them needs no migration.
"""

from django.db import models


class AgencyOwned(models.Model):
    """A row of one agency. No reverse accessor on Agency: reach the rows from
    their own model, filtered by agency."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class Created(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Updated(models.Model):
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
