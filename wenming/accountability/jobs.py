from datetime import timedelta

from wenming.core.periodic import periodic

from .rollup import rollups_refresh


@periodic("accountability.rollups_refresh", every=timedelta(minutes=1))
def refresh_rollups() -> None:
    """Every minute: replay the cases that changed since the watermark into the rollups."""
    rollups_refresh()
