from datetime import timedelta

from django.utils import timezone

from wenming.core.periodic import periodic

from .services import cycle_open, tasks_overdue_scan


@periodic("assessment.monthly_cycle", every=timedelta(hours=1))
def open_current_cycle() -> None:
    """Hourly: make sure this month's cycle and its tasks exist (月初派单). Idempotent, so the
    first run of a month creates the tasks and the others find nothing to add."""
    cycle_open(month=timezone.localdate())


@periodic("assessment.tasks_overdue_scan", every=timedelta(minutes=30))
def scan_overdue_tasks() -> None:
    """Every half hour: warn the units of tasks past their evidence or rectification date."""
    tasks_overdue_scan()
