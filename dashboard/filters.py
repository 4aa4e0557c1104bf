"""The selection a user makes: countries, roles, webinars, series, dates, stages, minutes."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date


@dataclass(frozen=True)
class Filters:
    """Each field None means "all"; an empty tuple selects nothing."""

    countries: tuple[str, ...] | None = None  # ISO alpha-2, or 'unknown'
    roles: tuple[str, ...] | None = None  # role codes
    events: tuple[str, ...] | None = None  # event keys
    series: tuple[str, ...] | None = None
    date_from: date | None = None  # inclusive, programme time zone
    date_to: date | None = None  # inclusive
    stages: tuple[int, ...] | None = None
    min_minutes: float | None = None

    def params(self) -> dict:
        """Bound parameters for the queries in queries/ (lists as lists, None as null)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    def is_empty_selection(self) -> bool:
        """True when a list filter was set to nothing: the view must show an empty state."""
        return any(isinstance(v, tuple) and not v for v in asdict(self).values())


ALL = Filters()
