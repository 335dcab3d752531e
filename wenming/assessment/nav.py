from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, register

from .views import PAGE_ROLES

SECTION = _("Assessment")

register(
    NavItem(
        SECTION,
        _("Our tasks"),
        "assessment:my_tasks",
        PAGE_ROLES["my_tasks"],
        "list-task",
        _("This month's assessment tasks of your unit: add evidence and submit."),
        order=400,
    ),
    NavItem(
        SECTION,
        _("Review queue"),
        "assessment:review_queue",
        PAGE_ROLES["reviews"],
        "check2-square",
        _("Month-end review: grade the submitted tasks."),
        order=410,
    ),
    NavItem(
        SECTION,
        _("Monthly cycles"),
        "assessment:cycle_list",
        PAGE_ROLES["cycles"],
        "calendar-month",
        _("Each month's tasks by unit and status; open and close a cycle."),
        order=420,
    ),
    NavItem(
        SECTION,
        _("Indicators"),
        "assessment:indicators",
        PAGE_ROLES["indicators"],
        "diagram-3",
        _("The assessment system: projects, indicators and contents; import and export."),
        order=430,
    ),
    NavItem(
        SECTION,
        _("Task scores"),
        "assessment:scores",
        PAGE_ROLES["scores"],
        "trophy",
        _("Unit and region scores of closed cycles."),
        order=440,
    ),
)
