"""One webinar up close, on the hand-made programme's w1 (starts 06:00 UTC, plans 90 minutes):
P1 [06:00, 06:30) ∪ [06:20, 06:50) = [06:00, 06:50), then [07:00, 07:10); P2 [06:10, 06:40) and
[06:40, 07:00) = [06:10, 07:00); the host is staff and no audience."""

from dashboard import drilldown
from dashboard.filters import Filters


def test_the_audience_of_w1_minute_by_minute(tiny):
    d = drilldown.drilldown(tiny, Filters(), "w1")
    tl = d.timeline
    # seconds from 06:00: P1 [0, 3000) and [3600, 4200); P2 [600, 3600): minutes 0 … 70
    assert tl.minute == list(range(0, 71))
    assert tl.connected == [1] * 10 + [2] * 40 + [1] * 10 + [1] * 10 + [0]
    assert {m: n for m, n in zip(tl.minute, tl.joins, strict=True) if n} == {0: 1, 10: 1, 60: 1}
    assert {m: n for m, n in zip(tl.minute, tl.leaves, strict=True) if n} == {50: 1, 60: 1, 70: 1}
    assert (tl.peak, tl.peak_second) == (2, 600)  # first reached at 06:10, as in the per-webinar table
    # minutes: P1 60, P2 50 — in bins of five minutes from 50
    assert d.minutes.to_dict("list") == {"from": [50, 55, 60], "to": [55, 60, 65], "attendances": [1, 0, 1]}
    assert (d.title, d.planned_minutes, d.stated) == ("Webinar one", 90, {})


def test_person_filters_apply(tiny):
    # P2 is the only participant in Belarus (her latest platform country): she alone, 06:10–07:00
    tl = drilldown.drilldown(tiny, Filters(countries=("BY",)), "w1").timeline
    assert (tl.minute[0], tl.minute[-1], tl.peak, tl.peak_second, sum(tl.joins)) == (10, 60, 1, 600, 1)


def test_a_webinar_with_no_audience(tiny):
    tl = drilldown.drilldown(tiny, Filters(countries=("AM",)), "w1").timeline  # P3 registered, did not come
    assert (tl.minute, tl.peak, tl.peak_second) == ([], 0, None)
