"""What planning tells later stages, which receive it (planning never imports them). Kept
apart from `signals.py`, which receives org's signals and calls the services: the services
send these, so they may not import that module.

- `calendar_changed` (kwargs: year, unit (None: the whole agency), actor, text, key): the
  calendar of a year changed. Monitoring notifies everyone it applies to
  (kinerja/monitoring/signals.py).
- `calendar_acted_on` (kwargs: year, unit or None): asked before a closed window moves. A
  receiver answers with the ids of the periods in which something was finalised (None for the
  annual evaluation): kinerja/assessment/signals.py.
- `skp_approved` (kwargs: skp, version, note, actor): the rater approved (ditetapkan) an SKP.
- `skp_returned` (kwargs: skp, note, actor): the rater returned an SKP with a note.
  Monitoring notifies the employee of both (kinerja/monitoring/signals.py).
"""

from django.dispatch import Signal

calendar_changed = Signal()
calendar_acted_on = Signal()
skp_approved = Signal()
skp_returned = Signal()
