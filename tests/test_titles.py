"""Webinar titles in the page's language where a title holds both (docs: "English / Русский")."""

import pytest

from dashboard.i18n import title_in


@pytest.mark.parametrize(
    ("title", "ru", "en"),
    [
        ("Industrial clusters / Промышленные кластеры", "Промышленные кластеры", "Industrial clusters"),
        ("Промышленные кластеры / Industrial clusters", "Промышленные кластеры", "Industrial clusters"),
        ("Кластеры Перми", "Кластеры Перми", "Кластеры Перми"),  # one language: as it is
        ("Кластеры / Фотоника", "Кластеры / Фотоника", "Кластеры / Фотоника"),  # both Russian: not a pair
        ("AI / ML", "AI / ML", "AI / ML"),
        ("A / Б / C", "A / Б / C", "A / Б / C"),  # three parts: as it is
        ("Фотоника 2026/2027", "Фотоника 2026/2027", "Фотоника 2026/2027"),  # a slash without spaces
    ],
)
def test_a_title_in_each_language(title, ru, en):
    assert (title_in(title, "ru"), title_in(title, "en")) == (ru, en)
