from django.utils.translation import gettext_lazy as _

from wenming.core.nav import NavItem, register

from .access import INSPECT_ROLES, LIAISON_ROLES, MANAGE_ROLES, VIEW_ROLES

SECTION = _("Inspections")

register(
    NavItem(
        SECTION,
        _("My inspections"),
        "inspections:my_rounds",
        INSPECT_ROLES,
        "phone",
        _("Sites to inspect in your rounds, and findings to re-inspect."),
        order=300,
    ),
    NavItem(
        SECTION,
        _("Inspection rounds"),
        "inspections:round_list",
        MANAGE_ROLES,
        "clipboard-check",
        _("Create rounds by sampling sites, assign inspectors, follow progress and scores."),
        order=310,
    ),
    NavItem(
        SECTION,
        _("Point sites"),
        "inspections:site_list",
        VIEW_ROLES,
        "geo-alt",
        _("Markets, streets, schools … on a list or a map; import from Excel or CSV."),
        order=320,
    ),
    NavItem(
        SECTION,
        _("Checklists"),
        "inspections:checklist_list",
        VIEW_ROLES,
        "card-checklist",
        _("What is checked at each type of site, and the deductions."),
        order=330,
    ),
    NavItem(
        SECTION,
        _("Findings"),
        "inspections:finding_list",
        VIEW_ROLES,
        "exclamation-triangle",
        _("Failed checklist items and their cases; re-inspection of rectified ones."),
        order=340,
    ),
    NavItem(
        SECTION,
        _("Inspection scores"),
        "inspections:scores",
        VIEW_ROLES,
        "bar-chart",
        _("Site scores averaged per unit, district and street."),
        order=350,
    ),
    NavItem(
        _("Liaison"),
        _("My liaison package"),
        "liaison:home",
        LIAISON_ROLES,
        "people",
        _("Regions and sites you answer for: open problems, scores, overdue items."),
        order=250,
    ),
)
