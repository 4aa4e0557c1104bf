from datetime import date

from dashboard.filters import Filters
from dashboard.url_state import Choices, parse, to_params

CHOICES = Choices(
    countries=frozenset({"RU", "KZ", "AM"}),
    roles=frozenset({"executive", "student", "unknown"}),
    events=frozenset({"w1", "w2"}),
    series=frozenset({"Industrial clusters, season 1"}),
)


def test_a_valid_link_gives_the_view_it_describes():
    state = parse(
        {
            "lang": ["en"],
            "country": ["ru", "KZ", "unknown"],
            "role": ["student"],
            "event": ["w2"],
            "series": ["Industrial clusters, season 1"],
            "stage": ["1"],
            "from": ["2026-10-01"],
            "to": ["2026-10-31"],
            "min": ["15"],
        },
        CHOICES,
    )
    assert state.lang == "en"
    assert state.ignored == []
    assert state.filters == Filters(
        countries=("RU", "KZ", "unknown"),
        roles=("student",),
        events=("w2",),
        series=("Industrial clusters, season 1",),
        stages=(1,),
        date_from=date(2026, 10, 1),
        date_to=date(2026, 10, 31),
        min_minutes=15.0,
    )


def test_invalid_values_are_ignored_and_listed():
    state = parse(
        {
            "lang": ["de"],
            "country": ["XX", "RU", "'; drop table events; --"],
            "role": ["wizard"],
            "event": ["nope"],
            "stage": ["3", "x"],
            "from": ["2026-13-01"],
            "min": ["-5"],
        },
        CHOICES,
    )
    assert state.lang == "ru"
    assert state.filters == Filters(countries=("RU",))
    assert state.ignored == [
        "country=XX",
        "country='; DROP TABLE EVENTS; --",
        "role=wizard",
        "event=nope",
        "stage=3",
        "stage=x",
        "from=2026-13-01",
        "min=-5",
        "lang=de",
    ]


def test_a_reversed_date_range_is_ignored():
    state = parse({"from": ["2026-10-31"], "to": ["2026-10-01"]}, CHOICES)
    assert (state.filters, state.ignored) == (Filters(), ["from=2026-10-31", "to=2026-10-01"])


def test_dates_are_checked_against_the_programme():
    programme = Choices(**{**CHOICES.__dict__, "first_date": date(2026, 9, 24), "last_date": date(2026, 10, 29)})
    # beyond the programme on the wide side: no limit; inside: kept
    state = parse({"from": ["2000-01-01"], "to": ["2026-10-08"]}, programme)
    assert (state.filters, state.ignored) == (Filters(date_to=date(2026, 10, 8)), [])
    state = parse({"from": ["2026-10-01"], "to": ["9999-12-31"]}, programme)
    assert (state.filters, state.ignored) == (Filters(date_from=date(2026, 10, 1)), [])
    # a range that would leave no webinar is not understood, and said so (the link once crashed the page)
    state = parse({"to": ["2000-01-01"]}, programme)
    assert (state.filters, state.ignored) == (Filters(), ["to=2000-01-01"])
    state = parse({"from": ["2027-01-01"]}, programme)
    assert (state.filters, state.ignored) == (Filters(), ["from=2027-01-01"])


def test_to_params_round_trips_and_leaves_defaults_out():
    filters = Filters(
        countries=("RU", "KZ"), roles=("student",), stages=(2,), date_from=date(2026, 10, 1), min_minutes=10.0
    )
    params = to_params("en", filters)
    assert params == {
        "lang": "en",
        "country": ["RU", "KZ"],
        "role": ["student"],
        "stage": ["2"],
        "from": "2026-10-01",
        "min": "10",
    }
    as_lists = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    assert parse(as_lists, CHOICES).filters == filters
    assert to_params("ru", Filters()) == {}
