from datetime import timedelta

from wenming.core.periodic import periodic

from .services import deliveries_send_due


@periodic("notify.send_deliveries", every=timedelta(seconds=10))
def send_deliveries() -> None:
    """Send the email/SMS deliveries that are due (the outbox of `notify`)."""
    deliveries_send_due()
