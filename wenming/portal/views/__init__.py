"""Public portal pages (no login) and the board's moderation pages for staff."""

from .board import board, board_lookup, board_message, board_new
from .home import portal_home
from .report import report, report_done, report_nearby, report_photo_location
from .staff import (
    board_queue,
    board_queue_message,
    board_queue_moderate,
    board_queue_reply,
    board_queue_to_case,
)
from .track import case_list, track, track_case, track_rate

__all__ = [
    "board",
    "board_lookup",
    "board_message",
    "board_new",
    "board_queue",
    "board_queue_message",
    "board_queue_moderate",
    "board_queue_reply",
    "board_queue_to_case",
    "case_list",
    "portal_home",
    "report",
    "report_done",
    "report_nearby",
    "report_photo_location",
    "track",
    "track_case",
    "track_rate",
]
