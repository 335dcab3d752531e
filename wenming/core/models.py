from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class CalendarOverride(models.Model):
    """An admin's correction to the national calendar: an extra holiday or an extra workday."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("is a workday"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.note}"


class OfficeHours(models.Model):
    """Working periods of a working day (e.g. 08:30–12:00 and 14:30–18:00)."""

    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


class PeriodicJob(models.Model):
    """Schedule of a periodic scan. A worker claims a due run with a compare-and-set UPDATE on
    `next_run_at`, so with several workers each run happens once."""

    name = models.CharField(_("name"), max_length=80, primary_key=True)
    next_run_at = models.DateTimeField(_("next run at"))
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name


class FailedJob(models.Model):
    """A queued job that failed its last attempt (wenming.core.tasks): kept for the admin,
    which can run it again; never silently lost, whichever task backend ran it."""

    task_path = models.CharField(_("job"), max_length=255)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("keyword arguments"), default=dict)
    attempts = models.PositiveSmallIntegerField(_("attempts"))
    error = models.TextField(_("last error"))
    backend = models.CharField(_("task backend"), max_length=32)
    result_id = models.CharField(_("task result id"), max_length=64)
    failed_at = models.DateTimeField(_("failed at"), auto_now_add=True)
    retried_at = models.DateTimeField(_("run again at"), null=True, blank=True)

    class Meta:
        verbose_name = _("failed job")
        verbose_name_plural = _("failed jobs")
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return f"{self.task_path} ({self.failed_at:%Y-%m-%d %H:%M})"


class JobEffect(models.Model):
    """The idempotency key of an effect a job made (wenming.core.tasks.effect_once)."""

    key = models.CharField(_("key"), max_length=200, primary_key=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("job effect")
        verbose_name_plural = _("job effects")

    def __str__(self) -> str:
        return self.key


class RateWindow(models.Model):
    """One client's count in one fixed window of a rate limit, when the counts are kept in the
    database (wenming.core.ratelimit). The window's number is part of the key, so a new window
    is a new row; ended ones are deleted by a periodic job."""

    key = models.CharField(_("key"), max_length=255, primary_key=True)
    count = models.PositiveIntegerField(_("count"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("rate-limit window")
        verbose_name_plural = _("rate-limit windows")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
