"""Which actions an assessment's status allows, and to whom: the one table read by the actions (which refuse
what it does not allow) and by the assessment's page (which offers only what it allows).

Flow: draft → sent → submitted → in review → completed, with items returned for correction
(returned → submitted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outsourcing.core.access import Role, ensure_owner_writer, is_owner_writer

from .choices import AssessmentStatus as S

OWNER = "owner"  # the owner's writers (admins and managers)
VENDOR_SIDE = "vendor_side"  # the assessed vendor's users, or the owner's writers acting for them
ASSESSED_VENDOR = "assessed_vendor"  # the assessed vendor's own users only


@dataclass(frozen=True)
class Step:
    statuses: frozenset[str]
    who: str
    doing: Any  # for the message when the status does not allow it


FLOW: dict[str, Step] = {
    "send": Step(frozenset({S.DRAFT}), OWNER, gettext_lazy("send it to the vendor")),
    "answer": Step(frozenset({S.SENT, S.RETURNED}), VENDOR_SIDE, gettext_lazy("change an answer")),
    "submit": Step(frozenset({S.SENT, S.RETURNED}), VENDOR_SIDE, gettext_lazy("submit the answers")),
    "start_review": Step(frozenset({S.SUBMITTED}), OWNER, gettext_lazy("start the review")),
    "score": Step(frozenset({S.IN_REVIEW}), OWNER, gettext_lazy("score an item")),
    "return_item": Step(frozenset({S.IN_REVIEW, S.RETURNED}), OWNER, gettext_lazy("return an item")),
    "record_finding": Step(frozenset({S.SUBMITTED, S.IN_REVIEW, S.RETURNED}), OWNER, gettext_lazy("record a finding")),
    "comment": Step(
        frozenset({S.SUBMITTED, S.IN_REVIEW, S.RETURNED}), ASSESSED_VENDOR, gettext_lazy("comment on a finding")
    ),
    "complete": Step(frozenset({S.IN_REVIEW}), OWNER, gettext_lazy("complete the assessment")),
}


def _is_assessed_vendor(user: Any, assessment: Any) -> bool:
    return getattr(user, "role", None) == Role.VENDOR and getattr(user, "vendor_id", None) == assessment.vendor_id


def may_act(user: Any, assessment: Any, action: str) -> bool:
    """Is `user` someone who may take `action` on this assessment (whatever its status)?"""
    who = FLOW[action].who
    if who == OWNER:
        return is_owner_writer(user)
    if who == VENDOR_SIDE:
        return is_owner_writer(user) or _is_assessed_vendor(user, assessment)
    return _is_assessed_vendor(user, assessment)


def allowed_actions(assessment: Any, user: Any) -> frozenset[str]:
    """The actions `user` may take on `assessment` now: the status allows them and the user is the right one."""
    return frozenset(
        action
        for action, step in FLOW.items()
        if assessment.status in step.statuses and may_act(user, assessment, action)
    )


def ensure_allowed(assessment: Any, user: Any, action: str) -> None:
    """Refuse `action`: 403 for the wrong person, a ValidationError naming `status` for the wrong status."""
    step = FLOW[action]
    if not may_act(user, assessment, action):
        if step.who == OWNER:
            ensure_owner_writer(user)
        raise PermissionDenied(_("Only the assessed vendor's users may do this."))
    if assessment.status not in step.statuses:
        raise ValidationError(
            {
                "status": _("Cannot %(doing)s: the assessment is %(status)s; this needs it to be %(allowed)s.")
                % {
                    "doing": step.doing,
                    "status": assessment.get_status_display(),
                    "allowed": " / ".join(str(S(a).label) for a in S if a in step.statuses),
                }
            }
        )
