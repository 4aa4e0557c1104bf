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


@pytest.mark.parametrize(
    ("stored", "ru", "en"),
    [("MTS Link", "МТС Линк", "MTS Link"), ("mts-link", "МТС Линк", "MTS Link"), ("telemost", "Яндекс Телемост",
     "Yandex Telemost"), ("Zoom", "Zoom", "Zoom"), ("Jitsi", "Jitsi", "Jitsi"), (None, None, None)],
)  # fmt: skip
def test_a_platform_in_each_language(stored, ru, en):
    from dashboard.i18n import platform_name

    assert (platform_name(stored, "ru"), platform_name(stored, "en")) == (ru, en)


def test_figure_labels_group_thousands_the_language_s_way():
    import pandas as pd

    from dashboard import figures, reference

    by_role = pd.DataFrame({"role": ["executive"], "participants": [380189]})
    assert list(figures.role_bars(by_role, reference.roles(), "ru").data[0].text) == ["380\u00a0189"]
    assert list(figures.role_bars(by_role, reference.roles(), "en").data[0].text) == ["380,189"]
