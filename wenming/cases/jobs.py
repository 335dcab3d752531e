from datetime import timedelta

from wenming.core.periodic import periodic

from .deadlines import deadlines_scan


@periodic("cases.deadlines_scan", every=timedelta(minutes=1))
def scan_case_deadlines() -> None:
    """Every minute: yellow and red warnings, and automatic supervision of overdue cases."""
    deadlines_scan()
