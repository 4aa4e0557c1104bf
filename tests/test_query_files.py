"""Every file in queries/ is documented, runs, binds its filters, and is used."""

import re

import pytest

from dashboard import queries
from dashboard.filters import Filters
from dashboard.settings import PACKAGE_DIR, QUERIES_DIR

QUERY_FILES = sorted(QUERIES_DIR.glob("*.sql"))
FILTERS = set(Filters().params())  # the filters and the path they decide ($all_webinars, $from_pairs)
OTHER_VALUES = {
    "whole_minutes": [5, 60],
    "event": "w1",
    "now": "2026-10-01 06:30:00",
    "lang": "ru",
    "id": "checkin:w1:x",
}  # parameters that are not filters, with example values


def test_there_are_queries():
    assert len(QUERY_FILES) >= 6


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_header_documents_the_question(path):
    header = "\n".join(line for line in path.read_text().splitlines() if line.startswith("--"))
    for part in ("Question:", "Grain:", "Parameters", "Columns:"):
        assert part in header, f"{path.name} header lacks {part}"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_runs_with_and_without_filters(path, tiny):
    values = {k: v for k, v in OTHER_VALUES.items() if k in queries.parameters(path.stem)}
    queries.run(tiny, path.stem, Filters(), **values)
    queries.run(tiny, path.stem, Filters(countries=("RU",), roles=("student",), min_minutes=1), **values)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_parameters_are_the_known_filters(path):
    assert queries.parameters(path.stem) <= FILTERS | set(OTHER_VALUES)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_query_is_used_by_a_page_or_command(path):
    code = "\n".join(p.read_text() for p in PACKAGE_DIR.rglob("*.py"))
    assert re.search(rf"""["']{path.stem}["']|queries\.{path.stem}\(""", code), f"{path.name} is not used"
