"""The staff console of the problem loop (queues, case page, search), server-rendered."""

from .detail import case_act, case_detail, case_reveal_phone, request_decide
from .queues import verification, worklist, workspace
from .search import export, search

__all__ = [
    "case_act",
    "case_detail",
    "case_reveal_phone",
    "export",
    "request_decide",
    "search",
    "verification",
    "workspace",
    "worklist",
]
