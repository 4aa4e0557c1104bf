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
_MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
# The two layouts of almost every row, read without strptime (25 µs a call; a million-row
# report has hundreds of thousands of distinct registration times).
_ZOOM = re.compile(r"^([A-Za-z]{3}) (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?$")
_RUSSIAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DURATION = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(mins?|minutes?|мин\.?|минут[аы]?|m)?\s*$", re.I)
_HMS = re.compile(r"^\s*(\d+):(\d{2})(?::(\d{2}))?\s*$")
# "1 ч 5 мин", "1 час 5 минут 30 секунд", "1h 5m": how Russian platforms' statistics write a stay.
_WORDS = re.compile(
    r"^\s*(?:(\d+)\s*(?:ч|час|часа|часов|h|hours?)\.?)?\s*(?:(\d+)\s*(?:мин|минута|минуты|минут|m|mins?|minutes?)\.?)?"
    r"\s*(?:(\d+)\s*(?:с|сек|секунда|секунды|секунд|s|secs?|seconds?)\.?)?\s*$",
    re.I,
)
# A browser's Intl.DateTimeFormat with numeric date and 2-digit time (BigBlueButton's Learning
# Dashboard): ru "27.11.2026, 10:02:13", en-GB "27/11/2026, 10:02:13", en-US "11/27/2026, 10:02:13 AM".
_BROWSER = re.compile(
    r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp])\.? ?[Mm]\.?)?$"
)
_CLOCK = re.compile(r"^\s*(\d{1,3}):([0-5]\d):([0-5]\d)\s*$")


def parse_time(value, zone: str) -> datetime:
    """A cell as a UTC time (naive, whole seconds); times without an offset are in `zone`.

    Raises ValueError when the text is not a time in any known layout.
    """
    if isinstance(value, datetime):
        moment = value
    else:
        text = " ".join(str(value).split())
        moment = _fast(text)
        if moment is None:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                moment = None
        if moment is None:
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
    try:
        return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    except OverflowError as exc:  # the year 1 east of UTC, the year 9999 west of it: no export's time
        raise ValueError(str(value)) from exc


def _fast(text: str) -> datetime | None:
    """Zoom's "Mar 28, 2020 08:07:27" (or "2:20 PM") and Russian "28.03.2026 14:05", else None."""
    match = _ZOOM.match(text)
    if match:
        month = _MONTHS.get(match.group(1).lower())
        if month is None:
            return None
        hour = int(match.group(4))
        half = match.group(7)
        if half:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if half.lower() == "pm" else 0)
        try:
            return datetime(int(match.group(3)), month, int(match.group(2)), hour, int(match.group(5)),
                            int(match.group(6) or 0))  # fmt: skip
        except ValueError:
            return None
    match = _RUSSIAN.match(text)
    if match:
        try:
            return datetime(int(match.group(3)), int(match.group(2)), int(match.group(1)), int(match.group(4) or 0),
                            int(match.group(5) or 0), int(match.group(6) or 0))  # fmt: skip
        except ValueError:
            return None
    return None


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
    match = _WORDS.match(text)
    if match and any(match.groups()):
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return hours * 60 + minutes + seconds / 60
    raise ValueError(text)


def parse_clock(value) -> int:
    """A duration written HH:MM:SS ("01:05:30"), in seconds. Raises ValueError otherwise."""
    match = _CLOCK.match(str(value))
    if not match:
        raise ValueError(str(value))
    hours, minutes, seconds = (int(g) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def parse_browser_time(value, zone: str) -> datetime:
    """A time as a browser formats it for its language (no zone: read in `zone`), as UTC.

    A dotted date is day.month.year (ru, de…). A date with slashes is ambiguous: month/day/year
    when an AM/PM marker follows (en-US), else day/month/year (en-GB and most others). Newer
    browsers put a narrow no-break space before AM/PM; any space will do. Raises ValueError for
    a value that fits neither order.
    """
    if isinstance(value, datetime):  # the file was saved again by a spreadsheet program
        return parse_time(value, zone)
    text = " ".join(str(value).split())  # U+202F and U+00A0 are spaces to str.split
    match = _BROWSER.match(text)
    if not match:
        raise ValueError(text)
    first, separator, second, year, hour, minute, second_of_minute, half = match.groups()
    if not 1900 <= int(year) <= 2999:  # no webinar's; and a time near the calendar's ends overflows with a duration
        raise ValueError(text)
    day, month = (int(second), int(first)) if half and separator == "/" else (int(first), int(second))
    hour = int(hour)
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    try:
        moment = datetime(int(year), month, day, hour, int(minute), int(second_of_minute or 0))
    except ValueError as exc:
        raise ValueError(text) from exc
    return parse_time(moment, zone)


def add_minutes(start: datetime, minutes: float) -> datetime:
    return start + timedelta(seconds=round(minutes * 60))
