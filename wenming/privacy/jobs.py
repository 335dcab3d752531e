from datetime import timedelta

from wenming.core.periodic import periodic

from .services import reporters_retention_run


@periodic("privacy.reporters_retention", every=timedelta(hours=6))
def reporters_retention() -> None:
    reporters_retention_run()
