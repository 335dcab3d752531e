"""One POST endpoint per move of the problem loop: /api/v1/cases/<code>/<action>/.

Each view has its own input serializer (with `expected_version`, the case version the client
last saw: a stale one is refused with 409 `conflict`) and calls one service. The answer is the
case as staff see it, or the request for return/extension requests and their decisions.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wenming.api.permissions import IsStaffMember
from wenming.cases import services
from wenming.cases.models import (
    Case,
    CaseRequest,
    Category,
    Nature,
    RequestStatus,
    Satisfaction,
    Urgency,
    Visibility,
)
from wenming.cases.selectors import case_get_for
from wenming.core.errors import ConcurrentUpdate, IllegalTransition, NotFound
from wenming.org.models import Unit

from .fields import PhotosField, positive_bigint
from .serializers import CaseDetailOutputSerializer, CaseRequestOutputSerializer


class ActionInput(serializers.Serializer):
    expected_version = positive_bigint(
        help_text="The case `version` you last saw; a stale one answers 409."
    )


def _text(required: bool = True, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=4000, required=required, allow_blank=not required, **kwargs
    )


def _check_version(case: Case, expected: int) -> None:
    """For services that take no expected_version; the service still locks the row."""
    if case.version != expected:
        raise ConcurrentUpdate()


class CaseActionView(APIView):
    permission_classes = [IsStaffMember]
    InputSerializer: ClassVar[type[serializers.Serializer]] = ActionInput
    returns_request: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        output = CaseRequestOutputSerializer if cls.returns_request else CaseDetailOutputSerializer
        extend_schema(
            request=cls.InputSerializer,
            responses={200: output},
            summary=(cls.__doc__ or "").strip().splitlines()[0],
            tags=["case actions"],
        )(cls)

    def post(self, request: Request, code: str, **kwargs: Any) -> Response:
        case = case_get_for(request.user, code)
        serializer = self.InputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        result = self.act(case, request.user, dict(serializer.validated_data), **kwargs)  # type: ignore[arg-type]
        if isinstance(result, CaseRequest):
            return Response(CaseRequestOutputSerializer(result).data)
        body = CaseDetailOutputSerializer(result, context={"request": request}).data
        return Response(body)

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case | CaseRequest:
        raise NotImplementedError


# ---------------------------------------------------------------- registration


class RegisterInput(ActionInput):
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True, parent__isnull=False),
        required=False,
        help_text="Minor class id; required when the case has none yet.",
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    nature = serializers.ChoiceField(choices=Nature.choices, required=False)
    note = _text(required=False)


class CaseRegisterView(CaseActionView):
    """Register the case (立案); an auto-dispatch category goes on to its unit."""

    InputSerializer = RegisterInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        return services.case_register(case_id=case.pk, actor=user, **data)


class ReasonInput(ActionInput):
    reason = _text()


class CaseRejectView(CaseActionView):
    """Do not register the case (不予立案), with the reason the reporter reads."""

    InputSerializer = ReasonInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        return services.case_reject(case_id=case.pk, actor=user, **data)


class AnswerInput(ActionInput):
    answer = _text()


class CaseAnswerView(CaseActionView):
    """Answer directly (直接答复); closes the case."""

    InputSerializer = AnswerInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        return services.case_answer(case_id=case.pk, actor=user, **data)


class MergeInput(ActionInput):
    into = serializers.CharField(max_length=20, help_text="Code of the surviving case.")
    note = _text(required=False)

    def validate_into(self, code: str) -> Case:
        try:
            return case_get_for(self.context["request"].user, code)
        except Exception as exc:  # Http404: missing and out of scope look the same
            raise serializers.ValidationError(_("There is no case with this code.")) from exc


class CaseMergeView(CaseActionView):
    """Merge the case into another one as a duplicate (合并)."""

    InputSerializer = MergeInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        return services.case_merge(case_id=case.pk, actor=user, **data)


# ---------------------------------------------------------------- dispatch and signing


class DispatchInput(ActionInput):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    note = _text(required=False)


class CaseDispatchView(CaseActionView):
    """Dispatch the registered case to a unit (派遣)."""

    InputSerializer = DispatchInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        return services.case_dispatch(case_id=case.pk, actor=user, **data)


class RedispatchInput(DispatchInput):
    note = _text()


class CaseRedispatchView(CaseActionView):
    """Re-dispatch the case to another unit (改派), with the reason."""

    InputSerializer = RedispatchInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        return services.case_redispatch(case_id=case.pk, actor=user, **data)


class CaseSignView(CaseActionView):
    """Sign for the case (签收); you become its handler."""

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        return services.case_sign(case_id=case.pk, actor=user, **data)


# ---------------------------------------------------------------- requests


class CaseReturnRequestView(CaseActionView):
    """Ask to return the case (退单申请); the unit lead, then the dispatcher decide."""

    InputSerializer = ReasonInput
    returns_request = True

    def act(self, case: Case, user: User, data: dict[str, Any]) -> CaseRequest:
        return services.case_request_return(case_id=case.pk, actor=user, **data)


class ExtensionInput(ReasonInput):
    extra_days = serializers.IntegerField(min_value=1, max_value=60)


class CaseExtensionRequestView(CaseActionView):
    """Ask for more working days (延期申请); the unit lead, then the dispatcher decide."""

    InputSerializer = ExtensionInput
    returns_request = True

    def act(self, case: Case, user: User, data: dict[str, Any]) -> CaseRequest:
        return services.case_request_extension(case_id=case.pk, actor=user, **data)


class DecisionInput(ActionInput):
    approve = serializers.BooleanField()
    note = _text(required=False)


class CaseRequestDecisionView(CaseActionView):
    """Decide a return or extension request: the unit lead first, then the dispatcher."""

    InputSerializer = DecisionInput
    returns_request = True

    def act(  # type: ignore[override]
        self, case: Case, user: User, data: dict[str, Any], request_id: int
    ) -> CaseRequest:
        request = case.requests.filter(pk=request_id).first()
        if request is None:
            raise NotFound()
        version = data.pop("expected_version")
        if request.status == RequestStatus.PENDING_LEAD:
            _check_version(case, version)
            return services.case_request_decide_lead(request_id=request.pk, actor=user, **data)
        if request.status == RequestStatus.PENDING_DISPATCHER:
            return services.case_request_decide(
                request_id=request.pk, actor=user, expected_version=version, **data
            )
        raise IllegalTransition(_("This request has already been decided."))


# ---------------------------------------------------------------- suspension


class CaseSuspendView(CaseActionView):
    """Suspend the case (挂起): its deadline clock stops."""

    InputSerializer = ReasonInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        return services.case_suspend(case_id=case.pk, actor=user, **data)


class NoteInput(ActionInput):
    note = _text(required=False)


class CaseResumeView(CaseActionView):
    """Resume a suspended case; the deadline moves by the time suspended."""

    InputSerializer = NoteInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        return services.case_resume(case_id=case.pk, actor=user, **data)


# ---------------------------------------------------------------- handling and verification


class FeedbackInput(ActionInput):
    text = _text()
    photos = PhotosField(help_text="After-photos (multipart); required by most categories.")


class CaseFeedbackView(CaseActionView):
    """Report the case handled (反馈), with text and after-photos (multipart)."""

    InputSerializer = FeedbackInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        return services.case_feedback(case_id=case.pk, actor=user, **data)


class VerifyInput(ActionInput):
    passed = serializers.BooleanField()
    note = _text(required=False, help_text="Required when the check failed.")
    photos = PhotosField()


class CaseVerifyView(CaseActionView):
    """Verify the handling on site (核查); a failure sends the case back for rework."""

    InputSerializer = VerifyInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        return services.case_verify(case_id=case.pk, actor=user, **data)


class CaseCloseView(CaseActionView):
    """Close the verified case (结案)."""

    InputSerializer = NoteInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        return services.case_close(case_id=case.pk, actor=user, **data)


# ---------------------------------------------------------------- after closing


class CallbackInput(ActionInput):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    resolved = serializers.BooleanField()
    comment = _text(required=False)


class CaseCallbackView(CaseActionView):
    """Record the reporter's answer at a callback (回访)."""

    InputSerializer = CallbackInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        _check_version(case, data.pop("expected_version"))
        services.case_rate(case_id=case.pk, actor=user, via_callback=True, **data)
        return case_get_for(user, case.code)


class CaseReopenView(CaseActionView):
    """Reopen a closed case the reporter was dissatisfied with (重办)."""

    InputSerializer = ReasonInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        return services.case_reopen(case_id=case.pk, actor=user, **data)


class RequiredNoteInput(ActionInput):
    note = _text()


class CaseSuperviseView(CaseActionView):
    """Supervise the case (督办): the supervision level goes up and the unit is pressed."""

    InputSerializer = RequiredNoteInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        return services.case_supervise(case_id=case.pk, actor=user, **data)


class CommentInput(RequiredNoteInput):
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.INTERNAL)


class CaseCommentView(CaseActionView):
    """Add a note to the timeline (no state change)."""

    InputSerializer = CommentInput

    def act(self, case: Case, user: User, data: dict[str, Any]) -> Case:
        _check_version(case, data.pop("expected_version"))
        return services.case_comment(case_id=case.pk, actor=user, **data)


ACTION_VIEWS: dict[str, type[CaseActionView]] = {
    "register": CaseRegisterView,
    "reject": CaseRejectView,
    "answer": CaseAnswerView,
    "merge": CaseMergeView,
    "dispatch": CaseDispatchView,
    "redispatch": CaseRedispatchView,
    "sign": CaseSignView,
    "return-request": CaseReturnRequestView,
    "extension-request": CaseExtensionRequestView,
    "suspend": CaseSuspendView,
    "resume": CaseResumeView,
    "feedback": CaseFeedbackView,
    "verify": CaseVerifyView,
    "close": CaseCloseView,
    "callback": CaseCallbackView,
    "reopen": CaseReopenView,
    "supervise": CaseSuperviseView,
    "comment": CaseCommentView,
}
