"""Output serializers shared by the v1 views (each view keeps its own input serializer)."""

from __future__ import annotations

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wenming.cases.models import Case, CaseAttachment, CaseEvent, CaseRequest, Category
from wenming.cases.reveal import case_phone_reveal
from wenming.cases.selectors import moves_for, timeline
from wenming.cases.states import State
from wenming.org.models import Unit

from .fields import FlatSerializer


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CategoryOutputSerializer(serializers.ModelSerializer):
    major = serializers.CharField(source="parent.name", read_only=True)

    class Meta:
        model = Category
        fields = ["id", "kind", "code", "name", "major", "default_nature", "keywords"]


class UnitOutputSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "region", "phone"]


class CaseListOutputSerializer(serializers.ModelSerializer):
    category = RefSerializer(allow_null=True, read_only=True)
    region = RegionRefSerializer(allow_null=True, read_only=True)
    unit = RefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "code",
            "state",
            "version",
            "channel",
            "title",
            "category",
            "urgency",
            "region",
            "unit",
            "reported_at",
            "handle_deadline",
            "warning_level",
            "supervision_level",
        ]


class AttachmentOutputSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    processing = serializers.BooleanField(
        source="is_processing",
        read_only=True,
        help_text="True until the photo is re-encoded in the background; the URLs are empty.",
    )

    class Meta:
        model = CaseAttachment
        fields = ["kind", "url", "thumbnail_url", "processing"]

    def _absolute(self, file) -> str:  # type: ignore[no-untyped-def]
        if not file:
            return ""
        request = self.context.get("request")
        return request.build_absolute_uri(file.url) if request else file.url

    def get_url(self, obj: CaseAttachment) -> str:
        return self._absolute(obj.file)

    def get_thumbnail_url(self, obj: CaseAttachment) -> str:
        return self._absolute(obj.thumbnail)


class EventOutputSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name", default="", read_only=True)
    attachments = AttachmentOutputSerializer(many=True, read_only=True)

    class Meta:
        model = CaseEvent
        fields = [
            "action",
            "from_state",
            "to_state",
            "actor_label",
            "unit",
            "note",
            "visibility",
            "created_at",
            "attachments",
        ]


class CaseRequestOutputSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.code", read_only=True)
    case_version = serializers.SerializerMethodField(
        help_text="The case's version now, for the next expected_version."
    )

    class Meta:
        model = CaseRequest
        fields = ["id", "case", "case_version", "kind", "status", "reason", "extra_days"]

    def get_case_version(self, obj: CaseRequest) -> int:
        # Read afresh: the request's case object may predate the move that decided it.
        return Case.objects.values_list("version", flat=True).get(pk=obj.case_id)


class CaseDetailOutputSerializer(CaseListOutputSerializer):
    """A case as staff see it: every field, the moves open to this user, open requests and
    the staff timeline (public and staff events)."""

    proposed_unit = RefSerializer(allow_null=True, read_only=True)
    handler = serializers.SerializerMethodField()
    merged_into = serializers.CharField(
        source="merged_into.code", default=None, allow_null=True, read_only=True
    )
    reporter_phone = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    open_requests = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(CaseListOutputSerializer.Meta):
        fields = [
            *CaseListOutputSerializer.Meta.fields,
            "description",
            "nature",
            "lat",
            "lon",
            "address",
            "is_public",
            "is_anonymous",
            "reporter_name",
            "reporter_phone",
            "proposed_unit",
            "handler",
            "merged_into",
            "rework_count",
            "registered_at",
            "dispatched_at",
            "signed_at",
            "handled_at",
            "closed_at",
            "sign_deadline",
            "verify_deadline",
            "suspended_at",
            "allowed_actions",
            "open_requests",
            "timeline",
        ]

    def _user(self) -> User:
        return self.context["request"].user

    def get_handler(self, obj: Case) -> str:
        return (obj.handler.get_full_name() or obj.handler.username) if obj.handler else ""

    def get_reporter_phone(self, obj: Case) -> str:
        # Masked; `?reveal=phone` gives the full number to who may call back (audited).
        request = self.context["request"]
        if request.query_params.get("reveal") == "phone" and obj.reporter_phone_masked:
            return case_phone_reveal(user=self._user(), case=obj, request=request._request)
        return obj.reporter_phone_masked

    def get_allowed_actions(self, obj: Case) -> list[str]:
        return moves_for(self._user(), obj)

    @extend_schema_field(CaseRequestOutputSerializer(many=True))
    def get_open_requests(self, obj: Case) -> list[dict]:
        pending = obj.requests.filter(status__startswith="pending").select_related("case")
        return CaseRequestOutputSerializer(pending, many=True).data  # type: ignore[return-value]

    @extend_schema_field(EventOutputSerializer(many=True))
    def get_timeline(self, obj: Case) -> list[dict]:
        events = timeline(obj, audience="staff")
        return EventOutputSerializer(events, many=True, context=self.context).data  # type: ignore[return-value]


class CaseReceiptOutputSerializer(FlatSerializer):
    """What an anonymous reporter gets back: the code to follow the case with. (Declared
    fields, not a ModelSerializer: it answers every citizen submission, and building fields
    from the model on each response costs more than the rest of the serializer.)"""

    code = serializers.CharField(read_only=True)
    state = serializers.ChoiceField(choices=State.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    reported_at = serializers.DateTimeField(read_only=True)
