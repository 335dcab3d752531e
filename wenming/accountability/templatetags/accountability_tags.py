from django import template

from ..metrics import Metric, MetricRow

register = template.Library()


@register.filter
def metric(row: MetricRow, m: Metric) -> str:
    """The row's value of the metric as the table prints it: 92.5% / 12 / —."""
    value = getattr(row, m.key)
    if value is None:
        return "—"
    if m.is_rate:
        return f"{value:.1f}%"
    return f"{value:.1f}" if isinstance(value, float) else str(value)
