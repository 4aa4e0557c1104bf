"""Reading times and durations as exports write them, into UTC to the whole second."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

FORMATS = (
    "%b %d, %Y %H:%M:%S",  # Zoom: Mar 28, 2020 08:07:27
    "%b %d, %Y %I:%M:%S %p",
    "%b %d, %Y %I:%M %p",  # Zoom, older "Other Attended": Mar 28, 2020 2:20 PM
    "%b %d, %Y %H:%M",
    "%d.%m.%Y %H:%M:%S",  # Russian: 28.03.2026 14:05:00
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d.%m.%y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%m/%d/%Y %I:%M:%S %p",  # Webex, US: 03/28/2026 02:05:00 PM
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
)
_DURATION = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(mins?|minutes?|мин\.?|минут[аы]?|m)?\s*$", re.I)
_HMS = re.compile(r"^\s*(\d+):(\d{2})(?::(\d{2}))?\s*$")


def parse_time(value, zone: str) -> datetime:
    """A cell as a UTC time (naive, whole seconds); times without an offset are in `zone`.

    Raises ValueError when the text is not a time in any known layout.
    """
    if isinstance(value, datetime):
        moment = value
    else:
        text = " ".join(str(value).split())
        moment = None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            for layout in FORMATS:
                try:
                    moment = datetime.strptime(text, layout)
                    break
                except ValueError:
                    continue
        if moment is None:
            raise ValueError(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def parse_minutes(value) -> float:
    """A duration in minutes: "65 mins", "65", "65,5 мин", "1:05:00"."""
    if isinstance(value, int | float):
        return float(value)
    text = str(value)
    match = _DURATION.match(text)
    if match:
        return float(match.group(1).replace(",", "."))
    match = _HMS.match(text)
    if match:
        hours, minutes, seconds = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
        return hours * 60 + minutes + seconds / 60
    raise ValueError(text)


def add_minutes(start: datetime, minutes: float) -> datetime:
    return start + timedelta(seconds=round(minutes * 60))
