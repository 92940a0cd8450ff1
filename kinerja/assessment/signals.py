"""What assessment tells later stages, without depending on them.

- `annual_closed`: the annual close job computed the year's predikat for an
  agency (kwargs: agency, year, actor). Follow-up builds its candidates lists.
"""

from django.dispatch import Signal

annual_closed = Signal()
