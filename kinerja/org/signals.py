"""Org changes that later stages react to, without org depending on them.

- `employees_placed`: employees took up a (new) definitive position
  (joined, moved, or imported with a new position); `placements` is a list of
  (employee, start). One signal for a whole import keeps receivers set-based.
  Planning closes the old SKP and opens a new one from that date.
- `employee_left`: an employee stopped being active on `end`.

Both are sent inside the org service's transaction, so a receiver that fails
rolls the org change back too: nothing is half-done. Receivers must be
idempotent (an import can be re-run).
"""

from django.dispatch import Signal

employees_placed = Signal()  # kwargs: agency, placements [(employee, start)], actor
employee_left = Signal()  # kwargs: employee, end, actor
