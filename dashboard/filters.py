"""The selection a user makes: countries, roles, webinars, series, dates, stages, minutes, and
whether rehearsal data counts."""

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
    rehearsals: bool = False  # count rehearsal persons and webinars (the live view of a rehearsal)

    # Which stored facts can answer a selection is decided here, once, for Python and SQL alike
    # (the SQL receives these as $all_webinars and $from_pairs). A filter is "set" when it is
    # not None: an empty tuple is a selection too (of nothing), never "all".

    @property
    def selects_persons(self) -> bool:
        """Whether a person filter (country, role, stage) is set."""
        return self.countries is not None or self.roles is not None or self.stages is not None

    @property
    def selects_webinars(self) -> bool:
        """Whether a webinar filter (webinar, series, dates) is set."""
        return any(v is not None for v in (self.events, self.series, self.date_from, self.date_to))

    @property
    def from_pairs(self) -> bool:
        """Whether figures must be counted from the (person, webinar) pairs: the stored cells,
        histograms and peaks hold neither a minimum of minutes nor rehearsal persons."""
        return self.min_minutes is not None or self.rehearsals

    @property
    def stored_peaks(self) -> bool:
        """Whether the peaks stored per webinar (over all real persons) answer this selection."""
        return not self.selects_persons and not self.from_pairs

    def params(self) -> dict:
        """Bound parameters for the queries in queries/ (lists as lists, None as null)."""
        values = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}
        return values | {"all_webinars": not self.selects_webinars, "from_pairs": self.from_pairs}

    def is_empty_selection(self) -> bool:
        """True when a list filter was set to nothing: the view must show an empty state."""
        return any(isinstance(v, tuple) and not v for v in asdict(self).values())


ALL = Filters()
