from datetime import timedelta

from wenming.core.periodic import periodic

from .ratelimit import rate_windows_purge


@periodic("core.rate_windows_purge", every=timedelta(minutes=10))
def purge_rate_windows() -> None:
    """Every 10 minutes: delete the rate-limit windows that have ended (database counts)."""
    rate_windows_purge()
