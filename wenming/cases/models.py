"""Categories, routing rules, cases, their events, attachments, requests and ratings."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel
from wenming.core.personal import encrypted_phone
from wenming.core.quarantine import quarantine_storage

from .places import CategoryOrNone, PlaceCell
from .states import Action, State


class CategoryKind(models.TextChoices):
    COMPONENT = "component", _("Component (部件)")
    EVENT = "event", _("Event (事件)")


class Nature(models.TextChoices):
    CONSULT = "consult", _("Consultation")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report of wrongdoing")
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class TimeUnit(models.TextChoices):
    HOURS = "hours", _("working hours")
    DAYS = "days", _("working days")


class Category(TimeStampedModel):
    """A class of the catalogue: kind → major class (parent is None) → minor class.

    Codes follow GB/T 30428.2: a major class has 2 digits, a minor class 4 (major + 2).
    Cases are filed under minor classes; time limits live in TimeLimit rows per urgency.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=CategoryKind.choices)
    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("major class"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    register_standard = models.TextField(_("registration standard (立案标准)"), blank=True)
    close_standard = models.TextField(_("closing standard (结案标准)"), blank=True)
    default_nature = models.CharField(
        _("default nature"), max_length=12, choices=Nature.choices, default=Nature.COMPLAINT
    )
    is_public = models.BooleanField(_("citizens may choose it"), default=True)
    auto_dispatch = models.BooleanField(_("dispatch automatically"), default=False)
    photo_required = models.BooleanField(_("feedback needs a photo"), default=True)
    keywords = models.CharField(_("search keywords"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="unique_category_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_minor(self) -> bool:
        return self.parent_id is not None


class TimeLimit(models.Model):
    """How long a unit has to sign, handle and verify a case of a category at an urgency."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="time_limits"
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    sign_amount = models.PositiveIntegerField(_("time to sign"), default=2)
    sign_unit = models.CharField(
        _("unit"), max_length=6, choices=TimeUnit.choices, default=TimeUnit.HOURS
    )
    handle_amount = models.PositiveIntegerField(_("time to handle"), default=3)
    handle_unit = models.CharField(
        _("unit"), max_length=6, choices=TimeUnit.choices, default=TimeUnit.DAYS
    )
    verify_amount = models.PositiveIntegerField(_("time to verify"), default=1)
    verify_unit = models.CharField(
        _("unit"), max_length=6, choices=TimeUnit.choices, default=TimeUnit.DAYS
    )

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        constraints = [
            models.UniqueConstraint(fields=["category", "urgency"], name="unique_time_limit")
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.get_urgency_display()}"


class RoutingRule(TimeStampedModel):
    """(category, region subtree) → unit. The most specific matching rule wins: a deeper
    region beats a shallower one, a named category beats any category."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        help_text=_("Empty: any category."),
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region subtree"),
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "region"], name="unique_routing_rule")
        ]

    def __str__(self) -> str:
        return f"{self.category or _('any category')} @ {self.region} → {self.unit}"


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("12345 hotline")
    SNAPSHOT = "snapshot", _("Citizen snapshot")
    BOARD = "board", _("Message board")
    INSPECTION = "inspection", _("Secret inspection")
    PATROL = "patrol", _("Grid patrol")
    API = "api", _("Open API")
    OPEN311 = "open311", _("Open311")


class WarningLevel(models.IntegerChoices):
    NONE = 0, _("On time")
    YELLOW = 1, _("Due soon")
    RED = 2, _("Overdue")


OPEN_STATES = [
    State.SUBMITTED,
    State.REGISTERED,
    State.DISPATCHED,
    State.IN_PROGRESS,
    State.HANDLED,
    State.VERIFIED,
]
HANDLING_STATES = [State.DISPATCHED, State.IN_PROGRESS, State.HANDLED]  # deadlines run
# The unit worklist's "due soon" tab; its partial index (case_unit_warned_due) has the same.
DUE_SOON = models.Q(
    state__in=[State.DISPATCHED, State.IN_PROGRESS], warning_level__gte=WarningLevel.YELLOW
)


class Case(TimeStampedModel):
    """A problem in the loop. Only services change `state`; every change writes a CaseEvent."""

    code = models.CharField(_("case code"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    last_action = models.CharField(
        _("last action"), max_length=20, choices=Action.choices, blank=True
    )

    reporter_name = models.CharField(_("reporter name"), max_length=50, blank=True)
    # The reporter's phone is stored only encrypted (wenming.core.personal): `reporter_phone`
    # reads and assigns it; look-ups use the hash (whole number) or the tail (last digits).
    reporter_phone_encrypted = models.TextField(_("reporter phone (encrypted)"), blank=True)
    reporter_phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    reporter_phone_tail = models.CharField(max_length=4, blank=True)
    reporter_phone_masked = models.CharField(_("reporter phone"), max_length=20, blank=True)
    reporter_phone = encrypted_phone("reporter_phone")
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by (staff)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
    )

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    nature = models.CharField(
        _("nature"), max_length=12, choices=Nature.choices, default=Nature.COMPLAINT
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )

    lat = models.FloatField(_("latitude (WGS-84)"), null=True, blank=True)
    lon = models.FloatField(_("longitude (WGS-84)"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("grid / region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # case_unit_reported leads with it
    )
    proposed_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("proposed unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_cases",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    is_public = models.BooleanField(_("public"), default=True)
    rework_count = models.PositiveIntegerField(_("rework count"), default=0)
    supervision_level = models.PositiveSmallIntegerField(_("supervision level"), default=0)
    warning_level = models.PositiveSmallIntegerField(
        _("deadline warning"), choices=WarningLevel.choices, default=WarningLevel.NONE
    )

    reported_at = models.DateTimeField(_("reported at"), db_index=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    sign_deadline = models.DateTimeField(_("sign by"), null=True, blank=True)
    handle_deadline = models.DateTimeField(_("handle by"), null=True, blank=True, db_index=True)
    verify_deadline = models.DateTimeField(_("verify by"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("suspended since"), null=True, blank=True)
    suspended_total = models.DurationField(_("time suspended"), default=timedelta)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-reported_at", "-id"]
        # The console's queues and search (measured by bench/worklist.py on 1M cases). Open
        # cases are a few percent of the table, so the queue indexes are partial; `include`
        # lets PostgreSQL count a queue from the index alone (SQLite ignores it).
        indexes = [
            models.Index(fields=["state", "-reported_at"], name="case_state_reported"),
            models.Index(fields=["unit", "state", "handle_deadline"], name="case_unit_state_due"),
            models.Index(fields=["category", "state"], name="case_category_state"),
            models.Index(
                fields=["state", "warning_level"],
                include=["region", "unit", "last_action"],
                condition=models.Q(state__in=OPEN_STATES),
                name="case_open_state",
            ),
            models.Index(
                fields=["handle_deadline"],
                include=["region"],
                condition=models.Q(warning_level=WarningLevel.RED, state__in=HANDLING_STATES),
                name="case_overdue_due",
            ),
            # The unit's "due soon" tab (bench/worklist.py at 10M: 83 → 16 ms p95).
            models.Index(
                fields=["unit", "handle_deadline"],
                include=["region"],
                condition=DUE_SOON,
                name="case_unit_warned_due",
            ),
            models.Index(
                fields=["verify_deadline"],
                include=["region"],
                condition=models.Q(state=State.HANDLED),
                name="case_handled_verify",
            ),
            models.Index(
                fields=["-reported_at"],
                include=["region"],
                condition=models.Q(warning_level=WarningLevel.RED),
                name="case_red_reported",
            ),
            # A unit's cases by date: counted from the index alone, paged by walking it
            # (bench/worklist.py, unit + 30 days at 10M: 76 ms intersecting the unit's and
            # the report time's indexes).
            models.Index(
                fields=["unit", "reported_at"], include=["region"], name="case_unit_reported"
            ),
            # `include`: a street's cases in one state are counted from the index alone
            # (bench/worklist.py, street + state at 1M: 38 ms through the table, 3 ms).
            models.Index(
                fields=["region", "reported_at"], include=["state"], name="case_region_reported"
            ),
            # The dashboard's map: the newest open cases with a location, read from the index
            # alone (bench/metrics.py at 1,000,000 cases: 810 ms without it, 6 ms with it).
            models.Index(
                fields=["-reported_at"],
                include=["region", "code", "title", "lat", "lon", "warning_level"],
                condition=models.Q(state__in=OPEN_STATES, lat__isnull=False),
                name="case_open_located",
            ),
            # Search by channel and report dates (count and page).
            models.Index(fields=["channel", "reported_at"], name="case_channel_reported"),
            # Phone search by its last four digits, newest first.
            models.Index(
                fields=["reporter_phone_tail", "reported_at"], name="case_phone_tail_reported"
            ),
            # Cases near a point, of some categories, in a window (duplicate search, the
            # portal's nearby list): see wenming.cases.places; bench/triage.py measures it.
            models.Index(
                CategoryOrNone(),
                PlaceCell(),
                F("reported_at"),
                F("lat"),
                F("lon"),
                name="case_place_cell",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    STAFF = "staff", _("Staff")
    INTERNAL = "internal", _("Internal")


class CaseEvent(models.Model):
    """Append-only history of a case: the audit trail, the timeline and the metrics' source."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=State.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_events",
    )
    actor_label = models.CharField(_("actor label"), max_length=80, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_events",
    )
    note = models.TextField(_("note"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.STAFF
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["action", "created_at"], name="event_action_time")]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_action_display()}"


class AttachmentKind(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")
    EVIDENCE = "evidence", _("Evidence")


def attachment_path(instance: CaseAttachment, filename: str) -> str:
    return f"cases/{instance.case.reported_at:%Y/%m}/{instance.case.code}/{filename}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        CaseEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    # Empty while `upload` (a citizen's raw file, never served) waits for the worker to
    # re-encode it (wenming.cases.tasks); pages show "processing" until then.
    file = models.ImageField(_("photo"), upload_to=attachment_path, blank=True)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=attachment_path, blank=True)
    upload = models.FileField(
        _("upload being processed"),
        upload_to=attachment_path,
        storage=quarantine_storage,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_kind_display()}"

    @property
    def is_processing(self) -> bool:
        return not self.file


class RequestKind(models.TextChoices):
    RETURN = "return", _("Return")
    EXTENSION = "extension", _("Extension")


class RequestStatus(models.TextChoices):
    PENDING_LEAD = "pending_lead", _("Waiting for the unit lead")
    PENDING_DISPATCHER = "pending_dispatcher", _("Waiting for the dispatcher")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Turned down")


class CaseRequest(TimeStampedModel):
    """A handler's request to return a case or extend its deadline: the unit lead approves it
    first, then the dispatcher decides."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="requests"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING_LEAD,
    )
    reason = models.TextField(_("reason"))
    extra_days = models.PositiveSmallIntegerField(_("extra working days"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("case request")
        verbose_name_plural = _("case requests")
        ordering = ["-created_at"]
        constraints = [
            # One open request of each kind per case: a second one would race the first.
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(status__in=["pending_lead", "pending_dispatcher"]),
                name="one_open_request_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in (RequestStatus.PENDING_LEAD, RequestStatus.PENDING_DISPATCHER)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class CaseRating(models.Model):
    """The reporter's evaluation (评价) or the callback's (回访) record of it."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="ratings"
    )
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices)
    resolved = models.BooleanField(_("problem resolved"))
    comment = models.TextField(_("comment"), blank=True)
    via_callback = models.BooleanField(_("recorded at a callback"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_satisfaction_display()}"


class CaseCodeCounter(models.Model):
    """Per-day sequence for human-readable case codes (BT202611230017)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"
