"""Russian and English text of the interface. Russian is the default; `?lang=en` switches."""

from __future__ import annotations

import pandas as pd

from dashboard.settings import LANGUAGES

DEFAULT = LANGUAGES[0]

TEXT: dict[str, dict[str, str]] = {
    "app_title": {"ru": "Охват программы вебинаров", "en": "Webinar programme reach"},
    "overview": {"ru": "Обзор", "en": "Overview"},
    "language": {"ru": "Язык", "en": "Language"},
    "filters": {"ru": "Фильтры", "en": "Filters"},
    "country": {"ru": "Страна", "en": "Country"},
    "role": {"ru": "Роль", "en": "Role"},
    "series": {"ru": "Серия", "en": "Series"},
    "webinar": {"ru": "Вебинар", "en": "Webinar"},
    "dates": {"ru": "Даты вебинаров", "en": "Webinar dates"},
    "stage": {"ru": "Этап программы", "en": "Programme stage"},
    "stage_n": {"ru": "Этап {n}", "en": "Stage {n}"},
    "min_minutes": {"ru": "Не менее минут на вебинаре", "en": "At least minutes per webinar"},
    "all": {"ru": "Все", "en": "All"},
    "reset": {"ru": "Сбросить фильтры", "en": "Reset filters"},
    "participants": {"ru": "Участники", "en": "Participants"},
    "participants_help": {
        "ru": "Уникальные люди, подключавшиеся хотя бы к одному вебинару как слушатели (без ведущих и спикеров).",
        "en": "Distinct people who joined at least one webinar as audience (hosts and panelists excluded).",
    },
    "cis_countries": {"ru": "Страны СНГ", "en": "CIS countries"},
    "cis_countries_value": {"ru": "{n} из {total}", "en": "{n} of {total}"},
    "cis_countries_help": {
        "ru": "Государства — участники и ассоциированные члены СНГ, из которых были участники. Всего стран с участниками: {all}.",
        "en": "CIS member and associate states with participants. All countries with participants: {all}.",
    },
    "webinars": {"ru": "Вебинары", "en": "Webinars"},
    "attendance_rate": {"ru": "Явка", "en": "Attendance rate"},
    "attendance_rate_help": {
        "ru": "Доля регистраций, по которым человек пришёл на тот же вебинар.",
        "en": "Share of registrations whose person attended that same webinar.",
    },
    "repeat_participants": {"ru": "Повторные участники", "en": "Repeat participants"},
    "repeat_help": {
        "ru": "Участники двух и более вебинаров выборки.",
        "en": "Participants of two or more webinars of the selection.",
    },
    "median_minutes": {"ru": "Медиана минут", "en": "Median minutes"},
    "median_minutes_help": {
        "ru": "Медиана времени одного участника на одном вебинаре; переподключения объединяются.",
        "en": "Median time of one participant at one webinar; rejoins are merged.",
    },
    "registrants": {"ru": "Зарегистрировались", "en": "Registrants"},
    "delta_note": {
        "ru": "Изменение — последний вебинар выборки относительно предыдущего.",
        "en": "Change: the latest webinar of the selection against the previous one.",
    },
    "delta_new": {"ru": "+{n} новых", "en": "+{n} new"},
    "delta_pp": {"ru": "{v} п.п.", "en": "{v} pp"},
    "delta_min": {"ru": "{v} мин", "en": "{v} min"},
    "stage_coverage": {"ru": "Этап {n}: охвачено стран", "en": "Stage {n}: countries reached"},
    "stage_coverage_value": {"ru": "{reached} из {total}", "en": "{reached} of {total}"},
    "stage_coverage_help": {
        "ru": "Страны этапа, из которых были участники, к числу стран этапа.",
        "en": "Countries of the stage with participants, out of the countries in the stage.",
    },
    "map_title": {"ru": "Участники по странам СНГ", "en": "Participants across the CIS"},
    "by_country_title": {"ru": "Участники по странам", "en": "Participants by country"},
    "by_role_title": {"ru": "Участники по ролям", "en": "Participants by role"},
    "cumulative_title": {"ru": "Рост уникального охвата по вебинарам серии", "en": "Unique reach over the series"},
    "webinars_title": {"ru": "Вебинары", "en": "Webinars"},
    "persons_axis": {"ru": "Участники, чел.", "en": "Participants, persons"},
    "date_axis": {"ru": "Дата вебинара", "en": "Webinar date"},
    "cumulative_line": {"ru": "Всего уникальных", "en": "Unique so far"},
    "new_bars": {"ru": "Новые на вебинаре", "en": "New at the webinar"},
    "stage_1": {"ru": "Этап 1", "en": "Stage 1"},
    "stage_2": {"ru": "Этап 2", "en": "Stage 2"},
    "outside_stages": {"ru": "Вне этапов", "en": "Outside the stages"},
    "unknown_country": {"ru": "Страна не указана", "en": "Country unknown"},
    "hover_persons": {"ru": "чел.", "en": "persons"},
    "col_date": {"ru": "Дата", "en": "Date"},
    "col_title": {"ru": "Вебинар", "en": "Webinar"},
    "col_platform": {"ru": "Платформа", "en": "Platform"},
    "col_registrants": {"ru": "Регистрации", "en": "Registrants"},
    "col_participants": {"ru": "Участники", "en": "Participants"},
    "col_rate": {"ru": "Явка, %", "en": "Attendance, %"},
    "col_median": {"ru": "Медиана, мин", "en": "Median, min"},
    "col_peak": {"ru": "Пик одновременно", "en": "Peak concurrent"},
    "empty": {
        "ru": "Под выбранные фильтры не попал ни один участник. Измените или сбросьте фильтры.",
        "en": "No participants match the selected filters. Change or reset the filters.",
    },
    "bad_url": {
        "ru": "Некоторые параметры ссылки не распознаны и пропущены: {items}",
        "en": "Some link parameters were not recognised and were ignored: {items}",
    },
    "footer": {
        "ru": "Определения показателей — docs/metrics.md. Время вебинаров — {tz}.",
        "en": "Metric definitions: docs/metrics.md. Webinar times in {tz}.",
    },
    "subtitle": {"ru": "{programme}", "en": "{programme}"},
}


def t(key: str, lang: str, **values) -> str:
    """The text for `key` in `lang`, formatted with `values`."""
    text = TEXT[key].get(lang) or TEXT[key][DEFAULT]
    return text.format(**values) if values else text


def language(value: str | None) -> str:
    """A supported language code; anything else falls back to Russian."""
    return value if value in LANGUAGES else DEFAULT


def country_names(countries: pd.DataFrame, lang: str) -> dict[str, str]:
    """ISO alpha-2 -> the country's name in `lang`, with 'unknown' as "Country unknown"."""
    names = dict(zip(countries["iso2"], countries[f"name_{lang}"], strict=True))
    names["unknown"] = t("unknown_country", lang)
    return names


def country_name(code: str, lang: str, countries: pd.DataFrame) -> str:
    """The country's name in `lang` (for one name; use country_names for many)."""
    return country_names(countries, lang).get(code, code)


def role_labels(roles: pd.DataFrame, lang: str) -> dict[str, str]:
    """Role code -> its label in `lang`."""
    return dict(zip(roles["code"], roles[f"label_{lang}"], strict=True))


def role_label(code: str, lang: str, roles: pd.DataFrame) -> str:
    return role_labels(roles, lang).get(code, code)


def number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """A number with the language's separators: 12 345,6 in Russian, 12,345.6 in English."""
    if value is None or pd.isna(value):
        return "—"
    text = f"{value:,.{decimals}f}"
    if lang == "ru":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def signed(value: float, lang: str, decimals: int = 1) -> str:
    """A change with its sign: +1,5 / −0,8 in Russian, +1.5 / −0.8 in English."""
    sign = "+" if value >= 0 else "-"  # ASCII: st.metric reads the direction from it
    return sign + number(abs(value), lang, decimals)


def percent(share: float | None, lang: str, decimals: int = 0) -> str:
    if share is None or pd.isna(share):
        return "—"
    return (
        number(share * 100, lang, decimals) + "\u00a0%" if lang == "ru" else number(share * 100, lang, decimals) + "%"
    )
