"""Periodic jobs of volunteer service (run by `wenming worker`; both idempotent)."""

from datetime import timedelta

from wenming.core.periodic import periodic

from .services import needs_close_unrated, shift_reminders_send

periodic("volunteers.shift_reminders", every=timedelta(minutes=10))(shift_reminders_send)
periodic("volunteers.close_unrated_needs", every=timedelta(hours=1))(needs_close_unrated)
