"""What monitoring asks later stages, which answer (monitoring never imports them).

- `days_off_wanted` (kwargs: agency_id, years): receivers answer with a set of the agency's
  own days off in those years (kinerja/assessment/signals.py), which count as non-working days
  beside the national holidays.
- `reminders_due` (kwargs: agency, year (the current PerformanceYear or None), today, days_off,
  calendars ({unit id: Calendar} of the units of the year's SKP)): receivers answer with unsaved
  Notification rows, each with its `dedupe_key`, for what of theirs is due on `today`
  (kinerja/assessment/signals.py: the raters' evaluation windows and admin BKD's missing
  organisation grades). The daily reminder job (kinerja/monitoring/reminders.py) saves them
  with its own, once per key, and e-mails the new ones.
"""

from django.dispatch import Signal

days_off_wanted = Signal()
reminders_due = Signal()
