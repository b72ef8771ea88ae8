"""Has anything changed? Stock and flow of political prisoners over time, from status events.

Public API::

    from prisonwatch.stats import Period, Unit, Dimension, series, totals, compare, around
    with db.session() as s:
        monthly = series(s, Period(date(2020, 1, 1), date(2026, 6, 30)), Unit.MONTH)
        before, after = around(date(2025, 9, 11), "12 months")
        table = compare(s, before, after)[0].rows()

See ``docs/changes.md`` for the definitions (boundaries, transitions, breakdowns).
"""

from prisonwatch.stats.claims import Figure, FigureError, add_figure, figures
from prisonwatch.stats.compare import Comparison, ComparisonRow, compare
from prisonwatch.stats.duration import DurationStats, held_durations, released_durations
from prisonwatch.stats.flows import FlowCounts, PeriodFlows, Series, held_count, series, totals
from prisonwatch.stats.groups import Dimension
from prisonwatch.stats.mass import MassRelease, mass_releases
from prisonwatch.stats.periods import Period, PeriodError, Unit, around, parse_period

__all__ = [
    "Comparison",
    "ComparisonRow",
    "Dimension",
    "DurationStats",
    "Figure",
    "FigureError",
    "FlowCounts",
    "MassRelease",
    "Period",
    "PeriodError",
    "PeriodFlows",
    "Series",
    "Unit",
    "add_figure",
    "around",
    "compare",
    "figures",
    "held_count",
    "held_durations",
    "mass_releases",
    "parse_period",
    "released_durations",
    "series",
    "totals",
]
