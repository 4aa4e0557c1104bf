"""Russian and English text of the interface. Russian is the default; `?lang=en` switches."""

from __future__ import annotations

import re

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
    "other_countries": {"ru": "Другие страны ({n})", "en": "Other countries ({n})"},
    "hover_persons": {"ru": "чел.", "en": "persons"},
    "col_date": {"ru": "Дата", "en": "Date"},
    "col_title": {"ru": "Вебинар", "en": "Webinar"},
    "col_platform": {"ru": "Платформа", "en": "Platform"},
    "col_registrants": {"ru": "Регистрации", "en": "Registrants"},
    "col_participants": {"ru": "Участники", "en": "Participants"},
    "col_rate": {"ru": "Явка, %", "en": "Attendance, %"},
    "col_median": {"ru": "Медиана, мин", "en": "Median, min"},
    "col_peak": {"ru": "Пик одновременно", "en": "Peak concurrent"},
    "col_source": {"ru": "Источник", "en": "Source"},
    "col_source_help": {
        "ru": "Откуда показатели вебинара: файл платформы, API, события эфира, отметки слушателей; «только регистрации» — "
        "посещение не измерялось. У отметки нет длительности: отметившиеся — участники, но в минуты не входят.",
        "en": "Where the webinar's figures come from: a platform's file, an API, the live feed, audience check-ins; "
        "“registrations only”: attendance was not measured. A check-in has no length: those checked in are "
        "participants, but count in no minutes.",
    },
    "source_zoom": {"ru": "файл Zoom", "en": "Zoom file"},
    "source_webex": {"ru": "файл Webex", "en": "Webex file"},
    "source_mts_link": {"ru": "файл МТС Линк", "en": "MTS Link file"},
    "source_bbb": {"ru": "файл BigBlueButton", "en": "BigBlueButton file"},
    "source_sheet": {"ru": "таблица посещений", "en": "attendance sheet"},
    "source_file": {"ru": "импортированный файл", "en": "imported file"},
    "source_mts_link_api": {"ru": "API МТС Линк", "en": "MTS Link API"},
    "source_live": {"ru": "события эфира", "en": "live feed"},
    "source_checkin": {"ru": "отметка слушателей", "en": "check-in"},
    "source_registrations": {"ru": "только регистрации", "en": "registrations only"},
    "source_planned": {"ru": "запланирован, данных нет", "en": "planned, no data yet"},
    "empty_programme": {
        "ru": "В этой программе пока нет данных. Загрузите выгрузки платформ и листы регистрации на странице «Данные» "
        "(или командой `reach import --db {db} ФАЙЛЫ`) — показатели появятся сразу после импорта.",
        "en": "This programme holds no data yet. Import platform exports and registration sheets on the Data page "
        "(or with `reach import --db {db} FILES`): the figures appear as soon as they are imported.",
    },
    "empty_no_participants": {
        "ru": "В программе есть вебинары, но ещё нет ни одного участника (только регистрации или запланированные вебинары).",
        "en": "The programme has webinars but no participants yet (registrations only, or webinars still planned).",
    },
    "load_demo": {"ru": "Загрузить демонстрационную программу в эту базу", "en": "Load the demo programme into this database"},
    "load_demo_help": {
        "ru": "Около 300 вымышленных участников из стран СНГ: чтобы посмотреть, как выглядит дашборд. Удаляет всё, что есть в этой базе.",
        "en": "About 300 invented participants from CIS countries, to see what the dashboard looks like. Replaces whatever this database holds.",
    },
    "hidden_value": {"ru": "скрыто", "en": "hidden"},
    "retention_page": {"ru": "Удержание", "en": "Retention"},
    "webinar_page": {"ru": "Вебинар", "en": "Webinar"},
    "compare_page": {"ru": "Сравнение", "en": "Compare"},
    "retention_title": {"ru": "Кто возвращается: удержание по серии", "en": "Who comes back: retention across the series"},
    "retention_note": {
        "ru": "Новый участник — впервые в выбранных вебинарах; когорта — новые на одном вебинаре. «Пробыли не меньше половины» — "
        "не меньше половины плановой длительности (без неё — пусто); у отметившихся минут нет. Определения: docs/metrics.md.",
        "en": "A new participant is at their first selected webinar; a cohort is those new at one webinar. “Stayed at least "
        "half”: at least half the planned length (none planned: empty); check-ins have no minutes. Definitions: docs/metrics.md.",
    },
    "webinar_title": {"ru": "Вебинар подробно", "en": "One webinar up close"},
    "webinar_choose": {"ru": "Вебинар", "en": "Webinar"},
    "dd_stated": {"ru": "По данным платформы: {n}", "en": "The platform says: {n}"},
    "dd_stated_line": {
        "ru": "Платформа сообщает: зрителей {viewers}, пик {peak}, регистраций {registered} — наши цифры посчитаны по строкам.",
        "en": "The platform states: viewers {viewers}, peak {peak}, registered {registered} — ours are counted from the rows.",
    },
    "compare_title": {"ru": "Сравнение двух выборок", "en": "Compare two selections"},
    "compare_help": {
        "ru": "Общие фильтры — слева; у каждой стороны свои (пустое поле — как в общих).",
        "en": "Common filters on the left; each side adds its own (an empty field keeps the common choice).",
    },
    "compare_common": {"ru": "как в общих фильтрах", "en": "as in the common filters"},
    "compare_side": {"ru": "Выборка {side}", "en": "Selection {side}"},
    "compare_same": {
        "ru": "Выборки A и B одинаковы: выберите, чем они различаются (например, две страны или два вебинара).",
        "en": "Selections A and B are the same: choose how they differ (e.g. two countries or two webinars).",
    },
    "compare_kpis": {"ru": "Показатели", "en": "Key figures"},
    "compare_retention": {"ru": "Удержание", "en": "Retention"},
    "cmp_mean_webinars": {"ru": "Вебинаров на участника (в среднем)", "en": "Webinars per participant (mean)"},
    "cmp_repeat_share": {"ru": "Пришли на два и больше, %", "en": "Attended two or more, %"},
    "cmp_came_back": {"ru": "Вернулись на следующий вебинар, % посещений", "en": "Came back to a later webinar, % of attendances"},
    "cmp_roles_title": {"ru": "Роли: доля участников выборки", "en": "Roles: share of each selection's participants"},
    "cmp_share_axis": {"ru": "Доля участников, %", "en": "Share of participants, %"},
    "dd_connected": {"ru": "На связи", "en": "Connected"},
    "dd_peak": {"ru": "пик {n}", "en": "peak {n}"},
    "dd_peak_name": {"ru": "Пик", "en": "Peak"},
    "dd_planned_end": {"ru": "плановое окончание", "en": "planned end"},
    "dd_timeline_title": {"ru": "Аудитория по минутам", "en": "Audience minute by minute"},
    "dd_time_axis": {"ru": "Время ({tz})", "en": "Time ({tz})"},
    "dd_joins": {"ru": "Подключились", "en": "Joined"},
    "dd_leaves": {"ru": "Отключились", "en": "Left"},
    "dd_joins_title": {"ru": "Подключения и отключения по минутам", "en": "Joins and leaves per minute"},
    "dd_min": {"ru": "мин", "en": "min"},
    "dd_minutes_title": {"ru": "Сколько минут пробыли", "en": "How long people stayed"},
    "dd_minutes_axis": {"ru": "Минут на вебинаре", "en": "Minutes at the webinar"},
    "dd_attendances_axis": {"ru": "Посещений", "en": "Attendances"},
    "ret_new": {"ru": "Новые", "en": "New"},
    "ret_returning": {"ru": "Вернувшиеся", "en": "Returning"},
    "ret_new_returning_title": {"ru": "Новые и вернувшиеся участники", "en": "New and returning participants"},
    "ret_cohorts_title": {"ru": "Когорты: доля пришедших на следующие вебинары", "en": "Cohorts: share present at later webinars"},
    "ret_cohort_rows": {"ru": "Первый вебинар · участников", "en": "First webinar · participants"},
    "ret_cohort_columns": {"ru": "Вебинар", "en": "Webinar"},
    "ret_cohort_hover": {"ru": "Когорта %{y}<br>на вебинаре %{x}: %{text}", "en": "Cohort %{y}<br>at the webinar of %{x}: %{text}"},
    "ret_per_person_title": {"ru": "Вебинаров на участника", "en": "Webinars per participant"},
    "ret_webinars_attended": {"ru": "Посещено вебинаров", "en": "Webinars attended"},
    "ret_funnel_title": {"ru": "Воронка по вебинарам", "en": "Funnel per webinar"},
    "ret_registered": {"ru": "Зарегистрировались", "en": "Registered"},
    "ret_attended": {"ru": "Пришли", "en": "Attended"},
    "ret_stayed_half": {"ru": "Пробыли не меньше половины", "en": "Stayed at least half"},
    "ret_came_back": {"ru": "Пришли на следующий", "en": "Came back later"},
    "click_to_filter": {
        "ru": "Щелчок по стране, роли, вебинару или ячейке таблицы страна × роль выбирает их в фильтрах; «Сбросить фильтры» — слева.",
        "en": "A click on a country, a role, a webinar or a country × role cell selects it in the filters; “Reset filters” on the left.",
    },
    "export_format": {"ru": "Выгрузка", "en": "Export"},
    "export_xlsx": {"ru": "Excel", "en": "Excel"},
    "export_csv": {"ru": "CSV (zip)", "en": "CSV (zip)"},
    "export_html": {"ru": "HTML", "en": "HTML"},
    "export_pptx": {"ru": "PowerPoint", "en": "PowerPoint"},
    "export_button": {"ru": "Скачать отчёт", "en": "Download the report"},
    "export_people": {"ru": "Со списком участников", "en": "With the participants list"},
    "export_people_help": {
        "ru": "Добавляет имена и e-mail участников — персональные данные; только для аналитиков.",
        "en": "Adds the participants' names and e-mails — personal data; analysts only.",
    },
    "sel_all": {"ru": "Все участники всех вебинаров", "en": "All participants of all webinars"},
    "sel_countries": {"ru": "Страны: {v}", "en": "Countries: {v}"},
    "sel_roles": {"ru": "Роли: {v}", "en": "Roles: {v}"},
    "sel_stages": {"ru": "Этапы программы: {v}", "en": "Programme stages: {v}"},
    "sel_series": {"ru": "Серии: {v}", "en": "Series: {v}"},
    "sel_webinars": {"ru": "Вебинары: {v}", "en": "Webinars: {v}"},
    "sel_dates": {"ru": "Даты вебинаров: {v}", "en": "Webinar dates: {v}"},
    "sel_minutes": {"ru": "Не меньше {n} мин на вебинаре", "en": "At least {n} min per webinar"},
    "sel_rehearsals": {"ru": "с данными репетиций", "en": "rehearsal data included"},
    "sel_n_countries": {"ru": "{n} стран", "en": "{n} countries"},
    "sel_n_roles": {"ru": "{n} ролей", "en": "{n} roles"},
    "sel_n_webinars": {"ru": "{n} вебинаров", "en": "{n} webinars"},
    "x_sheet_about": {"ru": "Об отчёте", "en": "About"},
    "x_sheet_kpis": {"ru": "Показатели", "en": "Key figures"},
    "x_sheet_countries": {"ru": "По странам", "en": "By country"},
    "x_sheet_roles": {"ru": "По ролям", "en": "By role"},
    "x_sheet_matrix": {"ru": "Страна × роль", "en": "Country x role"},
    "x_sheet_webinars": {"ru": "По вебинарам", "en": "By webinar"},
    "x_sheet_retention": {"ru": "Удержание", "en": "Retention"},
    "x_retention_title": {"ru": "Удержание по вебинарам: новые, вернувшиеся, воронка",
                          "en": "Retention per webinar: new, returning, funnel"},
    "x_sheet_per_person": {"ru": "Вебинаров на участника", "en": "Webinars per participant"},
    "x_sheet_people": {"ru": "Участники (персональные данные)", "en": "Participants (personal data)"},
    "x_matrix_title": {"ru": "Участники: страна × роль", "en": "Participants: country × role"},
    "x_selection": {"ru": "Выбор", "en": "Selection"},
    "x_generated": {"ru": "Сформировано {at} ({tz})", "en": "Generated {at} ({tz})"},
    "x_definitions": {"ru": "Определения показателей (docs/metrics.md)", "en": "Definitions of the figures (docs/metrics.md)"},
    "x_figure": {"ru": "Показатель", "en": "Figure"},
    "x_value": {"ru": "Значение", "en": "Value"},
    "x_code": {"ru": "Код", "en": "Code"},
    "x_country": {"ru": "Страна", "en": "Country"},
    "x_stage": {"ru": "Этап", "en": "Stage"},
    "x_role": {"ru": "Роль", "en": "Role"},
    "x_participants": {"ru": "Участники", "en": "Participants"},
    "x_registrants": {"ru": "Зарегистрировавшиеся", "en": "Registrants"},
    "x_attendances": {"ru": "Посещения", "en": "Attendances"},
    "x_countries": {"ru": "Охваченные страны (все)", "en": "Countries reached (all)"},
    "x_minutes_total": {"ru": "Минуты (всего)", "en": "Minutes (total)"},
    "x_people_name": {"ru": "Имя", "en": "Name"},
    "x_people_email": {"ru": "E-mail", "en": "E-mail"},
    "x_people_country": {"ru": "Страна", "en": "Country"},
    "x_people_role": {"ru": "Роль", "en": "Role"},
    "x_people_webinars": {"ru": "Вебинаров", "en": "Webinars"},
    "x_people_minutes": {"ru": "Минут", "en": "Minutes"},
    "x_file_stem": {"ru": "obzor", "en": "overview"},
    "tab_webinars": {"ru": "Вебинары и платформы", "en": "Webinars and platforms"},
    "plan_title": {"ru": "Запланировать вебинар", "en": "Plan a webinar"},
    "plan_help": {
        "ru": "Для платформ без выгрузки посещаемости (Яндекс Телемост, Контур.Толк, Pruffme): создайте вебинар заранее, "
        "импортируйте таблицу регистраций с его названием и датой, а посещаемость даст отметка аудитории на экране эфира.",
        "en": "For platforms with no attendance export (Yandex Telemost, Kontur.Tolk, Pruffme): create the webinar ahead, "
        "import the registration sheet with its title and date, and the audience check-in on the live view gives the attendance.",
    },
    "plan_field_title": {"ru": "Название", "en": "Title"},
    "plan_field_date": {"ru": "Дата", "en": "Date"},
    "plan_field_time": {"ru": "Начало (время программы)", "en": "Start (programme time)"},
    "plan_field_start": {"ru": "Начало", "en": "Start"},
    "plan_field_minutes": {"ru": "Длительность, минут", "en": "Length, minutes"},
    "plan_field_platform": {"ru": "Платформа", "en": "Platform"},
    "plan_field_series": {"ru": "Серия (необязательно)", "en": "Series (optional)"},
    "plan_button": {"ru": "Запланировать", "en": "Plan"},
    "plan_done": {
        "ru": "Вебинар «{title}» запланирован (ключ {event_key}). Импортируйте регистрации с этим названием и датой; отметка аудитории — на экране эфира.",
        "en": "Webinar “{title}” planned (key {event_key}). Import registrations with this title and date; the audience checks in on the live view.",
    },
    "platform_mts-link": {"ru": "МТС Линк", "en": "MTS Link"},
    "platform_bbb": {"ru": "BigBlueButton", "en": "BigBlueButton"},
    "platform_zoom": {"ru": "Zoom", "en": "Zoom"},
    "platform_webex": {"ru": "Webex", "en": "Webex"},
    "platform_telemost": {"ru": "Яндекс Телемост", "en": "Yandex Telemost"},
    "platform_tolk": {"ru": "Контур.Толк", "en": "Kontur.Tolk"},
    "platform_pruffme": {"ru": "Pruffme", "en": "Pruffme"},
    "platform_other": {"ru": "другая", "en": "other"},
    "pull_title": {"ru": "МТС Линк: загрузка по API", "en": "MTS Link: pull through the API"},
    "pull_no_token": {
        "ru": "Токен API МТС Линк не задан. Администратор сервера задаёт его в переменной REACH_MTSLINK_TOKEN или в .streamlit/secrets.toml "
        "(docs/imports.md, «MTS Link API»); из командной строки: reach pull mts-link --from … --to ….",
        "en": "No MTS Link API token is set. The server's administrator sets REACH_MTSLINK_TOKEN in the environment or "
        ".streamlit/secrets.toml (docs/imports.md, “MTS Link API”); from the command line: reach pull mts-link --from … --to ….",
    },
    "pull_from": {"ru": "С даты", "en": "From"},
    "pull_to": {"ru": "По дату", "en": "To"},
    "pull_event": {"ru": "ID мероприятия (необязательно)", "en": "Event id (optional)"},
    "pull_button": {"ru": "Загрузить из МТС Линк", "en": "Pull from MTS Link"},
    "pull_running": {"ru": "Запрашиваем МТС Линк…", "en": "Asking MTS Link…"},
    "pull_bad_period": {
        "ru": "Укажите обе даты; «по» не раньше «с», не больше года; ID мероприятия — только цифры.",
        "en": "Give both dates; “to” not before “from”, at most a year apart; the event id is digits only.",
    },
    "pull_failed": {"ru": "Загрузка не удалась, ничего не записано.", "en": "The pull failed; nothing was written."},
    "plan_no_title": {"ru": "у вебинара нет названия", "en": "the webinar has no title"},
    "plan_no_start": {"ru": "укажите дату и время начала", "en": "give the start's date and time"},
    "plan_long_title": {"ru": "название длиннее {limit} знаков", "en": "the title is longer than {limit} characters"},
    "plan_bad_start": {
        "ru": "начало «{value}» не читается: нужно ГГГГ-ММ-ДД ЧЧ:ММ, например 2026-12-01 11:00",
        "en": "the start '{value}' does not read: expected YYYY-MM-DD HH:MM, e.g. 2026-12-01 11:00",
    },
    "plan_bad_minutes": {
        "ru": "длительность «{value}» — нужно целое число минут от 1 до 1440",
        "en": "the length '{value}' must be a whole number of minutes from 1 to 1440",
    },
    "plan_bad_platform": {
        "ru": "платформа «{value}» не из списка: {choices}",
        "en": "the platform '{value}' is not one of: {choices}",
    },
    "plan_long_series": {"ru": "серия длиннее {limit} знаков", "en": "the series is longer than {limit} characters"},
    "plan_exists": {
        "ru": "вебинар с таким названием в этот день уже есть (ключ {event_key}): регистрации и отметки попадут в него",
        "en": "a webinar of this title on this day exists already (key {event_key}): registrations and check-ins go to it",
    },
    "small_selection": {
        "ru": "В этом выборе меньше {k} участников. Чтобы никого нельзя было узнать, его цифры не показываются: расширьте фильтры.",
        "en": "This selection has fewer than {k} participants. So that nobody can be singled out, its figures are not shown: widen the filters.",
    },
    "suppressed_note": {
        "ru": "Числа меньше {k} показаны как «< {k}»; там, где их можно было бы вычислить из итогов, скрыто и соседнее число («скрыто»).",
        "en": "Counts below {k} show as “< {k}”; where the totals would give one away, a neighbouring count is hidden too (“hidden”).",
    },
    "empty": {
        "ru": "Под выбранные фильтры не попал ни один участник. Измените или сбросьте фильтры.",
        "en": "No participants match the selected filters. Change or reset the filters.",
    },
    "failure_in_use": {
        "ru": "Файл базы данных {path} занят другой программой (запущен второй `reach serve`?). Остановите её или откройте копию файла.",
        "en": "The database file {path} is in use by another program (a second `reach serve`?). Stop it, or open a copy of the file.",
    },
    "failure_damaged": {
        "ru": "Файл базы данных {path} не читается: он повреждён. Остановите сервер и восстановите файл из резервной копии "
        "(копии, сделанной при остановленном сервере, или `EXPORT DATABASE`) либо импортируйте выгрузки заново в новую базу (docs/deploy.md).",
        "en": "The database file {path} cannot be read: it is damaged. Stop the server and restore the file from a backup "
        "(a copy made while the server was stopped, or `EXPORT DATABASE`), or import the exports again into a new database (docs/deploy.md).",
    },
    "failure_other": {
        "ru": "На этой странице произошла ошибка; ничего не изменено. Обновите страницу; если ошибка повторится, запишите время — "
        "подробности в журнале сервера.",
        "en": "Something went wrong on this page; nothing was changed. Reload the page; if it happens again, note the time: "
        "the server log has the details.",
    },
    "login_title": {"ru": "Вход в Reach", "en": "Sign in to Reach"},
    "login_login": {"ru": "Логин", "en": "Login"},
    "login_password": {"ru": "Пароль", "en": "Password"},
    "login_button": {"ru": "Войти", "en": "Sign in"},
    "sso_button": {"ru": "Войти через учётную запись организации", "en": "Sign in with your organisation's account"},
    "sso_no_account": {
        "ru": "Для {email} здесь нет учётной записи. Попросите администратора добавить её (reach users add … --email {email}).",
        "en": "There is no account here for {email}. Ask an administrator to add one (reach users add … --email {email}).",
    },
    "login_wrong": {"ru": "Неверный логин или пароль.", "en": "Wrong login or password."},
    "login_expired": {
        "ru": "Форма устарела. Введите логин и пароль ещё раз.",
        "en": "The form has expired. Enter your login and password again.",
    },
    "login_too_many": {
        "ru": "Слишком много неудачных попыток. Повторите через {seconds} с.",
        "en": "Too many failed attempts. Try again in {seconds} s.",
    },
    "logout_button": {"ru": "Выйти", "en": "Sign out"},
    "signed_in_as": {"ru": "Вы вошли как {login} ({role})", "en": "Signed in as {login} ({role})"},
    "role_viewer": {"ru": "просмотр", "en": "viewer"},
    "role_analyst": {"ru": "аналитик", "en": "analyst"},
    "role_presenter": {"ru": "ведущий", "en": "presenter"},
    "role_admin": {"ru": "администратор", "en": "admin"},
    "admin": {"ru": "Доступ и журнал", "en": "Access and audit"},
    "col_admin_login": {"ru": "Логин", "en": "Login"},
    "col_admin_role": {"ru": "Роль", "en": "Role"},
    "col_admin_created_at": {"ru": "Создана (UTC)", "en": "Created (UTC)"},
    "col_admin_tokens": {"ru": "API-токенов", "en": "API tokens"},
    "col_admin_email": {"ru": "E-mail для единого входа", "en": "Single sign-on e-mail"},
    "col_admin_happened_at": {"ru": "Когда (UTC)", "en": "When (UTC)"},
    "col_admin_actor": {"ru": "Кто", "en": "Who"},
    "col_admin_action": {"ru": "Действие", "en": "Action"},
    "col_admin_detail": {"ru": "Подробности", "en": "Detail"},
    "col_admin_address": {"ru": "Адрес", "en": "Address"},
    "admin_accounts": {"ru": "Учётные записи", "en": "Accounts"},
    "admin_audit": {"ru": "Журнал действий", "en": "Audit log"},
    "admin_accounts_help": {
        "ru": "Учётные записи создаются командой `reach users add ЛОГИН --role РОЛЬ --password-stdin` на сервере.",
        "en": "Accounts are made on the server with `reach users add LOGIN --role ROLE --password-stdin`.",
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
    "field_email": {"ru": "E-mail", "en": "E-mail"},
    "field_name": {"ru": "ФИО", "en": "Full name"},
    "field_first_name": {"ru": "Имя", "en": "First name"},
    "field_last_name": {"ru": "Фамилия", "en": "Last name"},
    "field_middle_name": {"ru": "Отчество", "en": "Middle name"},
    "field_chat_name": {"ru": "Имя в чате", "en": "Chat name"},
    "field_country": {"ru": "Страна", "en": "Country"},
    "field_organisation": {"ru": "Организация", "en": "Organisation"},
    "field_occupation": {"ru": "Должность, род деятельности", "en": "Occupation"},
    "field_event": {"ru": "Вебинар", "en": "Webinar"},
    "field_date": {"ru": "Дата", "en": "Date"},
    "field_event_start": {"ru": "Начало вебинара", "en": "Webinar start"},
    "field_join": {"ru": "Время входа", "en": "Join time"},
    "field_leave": {"ru": "Время выхода", "en": "Leave time"},
    "field_duration": {"ru": "Длительность", "en": "Duration"},
    "field_registered_at": {"ru": "Время регистрации", "en": "Registration time"},
    "field_meeting_role": {"ru": "Роль на платформе (ведущий, участник)", "en": "Platform role (host, attendee)"},
    "field_attended": {"ru": "Присутствовал", "en": "Attended"},
    "data": {"ru": "Данные", "en": "Data"},
    "live": {"ru": "Прямой эфир", "en": "Live"},
    "live_connected": {"ru": "Сейчас на связи", "en": "Connected now"},
    "live_joined": {"ru": "Всего подключились", "en": "Joined so far"},
    "live_countries": {"ru": "Стран", "en": "Countries"},
    "live_peak": {"ru": "Пик одновременно", "en": "Peak concurrent"},
    "live_arrivals": {"ru": "Последние подключения", "en": "Latest arrivals"},
    "live_no_webinars": {"ru": "Вебинаров пока нет.", "en": "No webinars yet."},
    "live_waiting": {"ru": "Ждём первых участников…", "en": "Waiting for the first participants…"},
    "live_contrast": {"ru": "Высокий контраст", "en": "High contrast"},
    "live_rehearsal_banner": {
        "ru": "Репетиция: на этом вебинаре есть данные репетиции. Они показаны здесь, но не входят в показатели программы.",
        "en": "Rehearsal: this webinar holds rehearsal data. It is shown here but is not counted in the programme's figures.",
    },
    "live_rehearsal_hidden": {
        "ru": "На этом вебинаре остались данные репетиции. Теперь, когда пришли настоящие данные, они не показываются и не считаются — удалите их.",
        "en": "This webinar still holds rehearsal data. Now that real data has arrived it is neither shown nor counted: clear it.",
    },
    "live_facts_behind_import": {
        "ru": "Идёт импорт файла: события эфира сохраняются, а новые подключения войдут в цифры, когда импорт закончится.",
        "en": "A file is being imported: live events are saved, and the newest arrivals join the figures when the import finishes.",
    },
    "live_rehearsal_clear": {"ru": "Удалить данные репетиции", "en": "Clear rehearsal data"},
    "live_rehearsal_cleared": {
        "ru": "Данные репетиции удалены: событий {rows}, людей {persons}.",
        "en": "Rehearsal data cleared: {rows} events, {persons} persons.",
    },
    "live_remove_webinar": {"ru": "Удалить этот вебинар", "en": "Remove this webinar"},
    "live_remove_explain": {
        "ru": "Вебинар «{title}» будет удалён вместе с его событиями эфира и отметками ({rows}). Импортированные данные так не удаляются — для них есть журнал импорта.",
        "en": "Webinar “{title}” will be removed with its live events and check-ins ({rows}). Imported data is removed from the import log instead.",
    },
    "live_remove_confirm": {"ru": "Да, удалить вебинар", "en": "Yes, remove the webinar"},
    "live_removed": {"ru": "Вебинар удалён.", "en": "Webinar removed."},
    "live_remove_holds_imports": {
        "ru": "В этом вебинаре есть импортированные данные: удалите их импорт в журнале на странице «Данные».",
        "en": "This webinar holds imported data: remove its import from the log on the Data page.",
    },
    "live_waiting_key": {
        "ru": "Вебинар «{webinar}»: ждём первого участника. Цифры появятся с первым событием.",
        "en": "Webinar “{webinar}”: waiting for the first participant. Figures appear with its first event.",
    },
    "live_webinar": {"ru": "Вебинар", "en": "Webinar"},
    "live_controls": {"ru": "Управление", "en": "Controls"},
    "live_controls_help": {
        "ru": "Панель ведущего: вебинар, контраст, QR-код, репетиция. Закрытая, она не видна зрителям.",
        "en": "The presenter's panel: webinar, contrast, QR code, rehearsal. Closed, the audience does not see it.",
    },
    "live_no_arrivals": {"ru": "Пока никого", "en": "Nobody yet"},
    "live_time": {"ru": "Время", "en": "Time"},
    "live_checkin_toggle": {"ru": "QR-код для отметки", "en": "Check-in QR code"},
    "live_checkin_caption": {"ru": "Отметьтесь: страна и роль", "en": "Check in: country and role"},
    "live_checkin_local": {
        "ru": "У компьютера нет сетевого адреса, а localhost телефоны не откроют: подключитесь к сети или задайте REACH_PUBLIC_URL.",
        "en": "This computer has no network address and phones cannot open localhost: join a network or set REACH_PUBLIC_URL.",
    },
    "live_new_webinar": {"ru": "Начать новый вебинар", "en": "Start a new webinar"},
    "live_new_title": {"ru": "Название", "en": "Title"},
    "live_new_day": {"ru": "Дата начала", "en": "Start date"},
    "live_new_time": {"ru": "Время начала ({zone})", "en": "Start time ({zone})"},
    "live_new_minutes": {"ru": "Длительность, минут", "en": "Length, minutes"},
    "live_new_create": {"ru": "Создать и показать", "en": "Create and show"},
    "live_new_bad_title": {
        "ru": "Название: введите от 1 до 200 символов.",
        "en": "Title: enter 1 to 200 characters.",
    },
    "live_new_bad_minutes": {
        "ru": "Длительность: от 10 до 600 минут.",
        "en": "Length: 10 to 600 minutes.",
    },
    "checkin_title": {"ru": "Отметка участника", "en": "Participant check\u2011in"},  # a hyphen that does not break
    "checkin_intro": {
        "ru": "Укажите страну и роль — так мы увидим, откуда и кто смотрит вебинар. Имя и e\u2011mail не нужны.",
        "en": "Tell us your country and role so we can see where the audience is from. No name or e\u2011mail needed.",
    },
    "checkin_country": {"ru": "Страна", "en": "Country"},
    "checkin_role": {"ru": "Роль", "en": "Role"},
    "checkin_pick": {"ru": "— выберите страну —", "en": "— choose your country —"},
    "checkin_cis": {"ru": "Страны СНГ", "en": "CIS states"},
    "checkin_other_countries": {"ru": "Другие страны", "en": "Other countries"},
    "checkin_submit": {"ru": "Отметиться", "en": "Check in"},
    "checkin_done": {"ru": "Спасибо, вы отмечены!", "en": "Thank you, you are checked in!"},
    "checkin_done_detail": {
        "ru": "Ваша отметка учтена на вебинаре «{title}». Повторно отмечаться не нужно.",
        "en": "Your check-in for “{title}” is counted. There is no need to check in again.",
    },
    "checkin_none_open": {
        "ru": "Сейчас нет вебинара, открытого для отметки. Отметка открывается за час до начала.",
        "en": "No webinar is open for check-in right now. Check-in opens an hour before the start.",
    },
    "checkin_unknown": {
        "ru": "Вебинар «{webinar}» не найден. Проверьте ссылку или отсканируйте QR-код ещё раз.",
        "en": "There is no webinar “{webinar}”. Check the link or scan the QR code again.",
    },
    "checkin_closed": {
        "ru": "Отметка на вебинар «{title}» закрыта: она открыта с {opens} до {closes} (UTC).",
        "en": "Check-in for “{title}” is closed: it is open from {opens} to {closes} (UTC).",
    },
    "checkin_bad_country": {
        "ru": "Страна: выберите страну из списка.",
        "en": "Country: choose a country from the list.",
    },
    "checkin_bad_role": {"ru": "Роль: выберите одну из ролей.", "en": "Role: choose one of the roles."},
    "checkin_no_cookie": {
        "ru": "Браузер не сохранил cookie отметки: разрешите cookie для этого сайта и откройте страницу снова.",
        "en": "Your browser did not keep the check-in cookie: allow cookies for this site and open the page again.",
    },
    "checkin_bad_form": {
        "ru": "Форма пришла повреждённой. Откройте страницу снова и отправьте её ещё раз.",
        "en": "The form arrived damaged. Open the page again and send it once more.",
    },
    "checkin_too_many": {
        "ru": "Из вашей сети сейчас отмечается много людей. Попробуйте ещё раз через {seconds} с.",
        "en": "Many people on your network are checking in right now. Please try again in {seconds} s.",
    },
    "checkin_not_stored": {
        "ru": "Не удалось сохранить отметку, ничего не записано. Отправьте форму ещё раз.",
        "en": "Your check-in could not be saved and nothing was written. Please send the form again.",
    },
    "checkin_again": {"ru": "Открыть форму снова", "en": "Open the form again"},
    "checkin_other_language": {"ru": "English", "en": "Русский"},
    # check-in limits: the code on the screen, the webinar's ceiling, refusals on the live view
    "checkin_code": {"ru": "Код с экрана (4 цифры)", "en": "Code on the screen (4 digits)"},
    "checkin_bad_code": {
        "ru": "Код: введите 4 цифры, которые сейчас показаны на экране.",
        "en": "Code: type the 4 digits shown on the screen now.",
    },
    "checkin_full": {
        "ru": "Отметки на вебинар «{title}» больше не принимаются: их уже столько, сколько позволяет размер его аудитории. Если вы в зале, скажите организаторам.",
        "en": "Check-in to “{title}” is full: it has taken as many check-ins as its audience allows. If you are in the room, please tell the organisers.",
    },
    "live_checkin_code": {"ru": "Код для отметки", "en": "Check-in code"},
    "live_checkin_code_help": {
        "ru": "Код меняется каждые {minutes} мин (следующий через {seconds} с).",
        "en": "The code changes every {minutes} min (next in {seconds} s).",
    },
    "live_checkin_refused": {"ru": "Отметок отклонено: {n} ({reasons})", "en": "Check-ins refused: {n} ({reasons})"},
    "live_refused_ceiling": {"ru": "предел вебинара: {n}", "en": "webinar limit: {n}"},
    "live_refused_rate": {"ru": "слишком часто с одного адреса: {n}", "en": "too many from one address: {n}"},
    "live_refused_code": {"ru": "неверный код: {n}", "en": "wrong code: {n}"},
    "data_title": {"ru": "Данные: импорт и качество", "en": "Data: import and quality"},
    "tab_import": {"ru": "Импорт файлов", "en": "Import files"},
    "tab_quality": {"ru": "Качество данных", "en": "Data quality"},
    "tab_log": {"ru": "Журнал импорта", "en": "Import log"},
    "upload": {
        "ru": "Выгрузки Zoom, Webex, МТС Линк или таблицы регистраций (CSV, XLSX, XLS)",
        "en": "Zoom, Webex, MTS Link exports or registration sheets (CSV, XLSX, XLS)",
    },
    "upload_help": {
        "ru": "Формат и кодировка определяются по содержимому. Ничего не записывается до нажатия «Импортировать».",
        "en": "Format and encoding are detected from the content. Nothing is written until you press Import.",
    },
    "timezone": {"ru": "Часовой пояс времени без пояса", "en": "Time zone of times written without one"},
    "skip_bad_rows": {"ru": "Пропускать строки с ошибками (и перечислить их)", "en": "Skip bad rows (and list them)"},
    "preview_format": {"ru": "Формат", "en": "Format"},
    "preview_encoding": {"ru": "Кодировка", "en": "Encoding"},
    "preview_rows": {"ru": "Строк", "en": "Rows"},
    "preview_records": {"ru": "Записей", "en": "Records"},
    "preview_events": {"ru": "Вебинары в файле", "en": "Webinars in the file"},
    "preview_mapping": {"ru": "Сопоставление колонок", "en": "Column mapping"},
    "preview_unused": {"ru": "Не используются", "en": "Not used"},
    "field": {"ru": "Поле", "en": "Field"},
    "column": {"ru": "Колонка файла", "en": "File column"},
    "not_mapped": {"ru": "— не использовать —", "en": "— not used —"},
    "event_title_input": {
        "ru": "Название вебинара (если в файле нет колонки)",
        "en": "Webinar title (if the file has no such column)",
    },
    "save_mapping": {"ru": "Сохранить сопоставление для таких файлов", "en": "Save this mapping for such files"},
    "mapping_saved": {"ru": "Сопоставление сохранено.", "en": "Mapping saved."},
    "problems": {"ru": "Проблемы ({n})", "en": "Problems ({n})"},
    "ready": {"ru": "Готов к импорту", "en": "Ready to import"},
    "will_reject": {
        "ru": "Будет отклонён: исправьте файл или включите пропуск строк с ошибками",
        "en": "Will be rejected: fix the file or allow skipping bad rows",
    },
    "import_button": {"ru": "Импортировать", "en": "Import"},
    "imported_ok": {"ru": "Импортировано", "en": "Imported"},
    "merge_rate": {"ru": "Слияние записей в людей", "en": "Records merged into persons"},
    "merge_rate_value": {"ru": "{records} → {persons}", "en": "{records} → {persons}"},
    "unmatched_countries": {"ru": "Нераспознанные страны", "en": "Unmatched countries"},
    "unmatched_roles": {
        "ru": "Нераспознанные должности (считаются «Другие роли»)",
        "en": "Unmatched occupations (counted as other roles)",
    },
    "merge_rate_help": {
        "ru": "Строки всех импортов (после определения личности) и разные люди в них: один человек с переподключениями и регистрацией — одна запись на строку, но один человек.",
        "en": "Rows of every import (once identified) and the distinct persons in them: a person with rejoins and a registration is several records but one person.",
    },
    "merge_split": {
        "ru": "Из {persons} людей в импортах: участники {attended}, зарегистрировались и не пришли {registered}, только ведущие и спикеры {staff}.",
        "en": "Of the {persons} persons in imports: participants {attended}, registered but never attended {registered}, staff only {staff}.",
    },
    "unknown_country_persons": {"ru": "Участники без страны", "en": "Participants without a country"},
    "unknown_role_persons": {"ru": "Участники без роли", "en": "Participants without a role"},
    "of_participants": {"ru": "{n} из {total}", "en": "{n} of {total}"},
    "no_unmatched_texts": {"ru": "Всё распознано.", "en": "Everything matched."},
    "unknown_without_text": {
        "ru": "Нераспознанных текстов нет, но у {n} участников {what} не указана вовсе: в их данных нет такого столбца или ответа. Если столбец есть под другим названием, сопоставьте его при импорте.",
        "en": "No unmatched texts, but {n} participants have no {what} stated at all: their data has no such column or answer. If a column holds it under another name, map it in the import preview.",
    },
    "remove_import": {"ru": "Удалить импорт", "en": "Remove an import"},
    "remove_which": {"ru": "Какой файл", "en": "Which file"},
    "remove_explain": {
        "ru": "Удаляются строки этого файла, люди, которых привёл только он, и его вебинары, если на них больше ничего не ссылается. Показатели пересчитываются; файл можно импортировать снова.",
        "en": "Removes the file's rows, the persons only it brought, and its webinars if nothing else refers to them. The figures are recalculated; the file can be imported again.",
    },
    "remove_confirm": {"ru": "Удалить этот импорт", "en": "Remove this import"},
    "removed": {
        "ru": "{file}: удалено строк {rows}, людей {persons}, вебинаров {webinars}.",
        "en": "{file}: removed {rows} rows, {persons} persons, {webinars} webinars.",
    },
    "raw_value": {"ru": "Как написано", "en": "As written"},
    "rows": {"ru": "Строк", "en": "Rows"},
    "persons": {"ru": "Людей", "en": "Persons"},
    "map_to": {"ru": "Сопоставить с", "en": "Map to"},
    "apply": {"ru": "Сохранить и применить к данным", "en": "Save and apply to the data"},
    "applied": {"ru": "Сохранено и применено: {n}", "en": "Saved and applied: {n}"},
    "platform_vs_ours": {"ru": "Цифры платформ и наши", "en": "Platforms' figures and ours"},
    "platform_note": {
        "ru": "Платформы считают по-своему; наши цифры — по строкам выгрузки (docs/metrics.md).",
        "en": "Platforms count their own way; ours come from the exported rows (docs/metrics.md).",
    },
    "stated_registered": {"ru": "Платформа: зарегистрировано", "en": "Platform: registered"},
    "stated_unique": {"ru": "Платформа: уникальных зрителей", "en": "Platform: unique viewers"},
    "stated_peak": {"ru": "Платформа: максимум одновременно", "en": "Platform: max concurrent"},
    "ours_registrants": {"ru": "Наши: регистрации", "en": "Ours: registrants"},
    "ours_participants": {"ru": "Наши: участники", "en": "Ours: participants"},
    "ours_peak": {"ru": "Наши: пик одновременно", "en": "Ours: peak concurrent"},
    "no_imports": {"ru": "Импортов ещё не было.", "en": "No imports yet."},
    "col_imported_at": {"ru": "Когда (UTC)", "en": "When (UTC)"},
    "col_file": {"ru": "Файл", "en": "File"},
    "col_format": {"ru": "Формат", "en": "Format"},
    "col_encoding": {"ru": "Кодировка", "en": "Encoding"},
    "col_rows": {"ru": "Строк", "en": "Rows"},
    "col_records": {"ru": "Записей", "en": "Records"},
    "col_persons": {"ru": "Людей", "en": "Persons"},
    "col_new": {"ru": "Новых", "en": "New"},
    "col_events": {"ru": "Вебинаров", "en": "Webinars"},
    "col_skipped": {"ru": "Пропущено строк", "en": "Rows skipped"},
    "col_seconds": {"ru": "Секунд", "en": "Seconds"},
    "col_hash": {"ru": "SHA-256", "en": "SHA-256"},
}


def t(key: str, lang: str, **values) -> str:
    """The text for `key` in `lang`, formatted with `values`."""
    text = TEXT[key].get(lang) or TEXT[key][DEFAULT]
    return text.format(**values) if values else text


def platform_name(platform: str | None, lang: str) -> str | None:
    """A webinar's platform in the page's language: a code ("mts-link") or the name an import
    stored ("MTS Link") as "МТС Линк" in Russian; a platform we do not know, as it was stored."""
    if platform is None or pd.isna(platform):
        return None
    for key in (f"platform_{platform}", "platform_" + str(platform).strip().lower().replace(" ", "-")):
        if key in TEXT:
            return t(key, lang)
    return str(platform)


_CYRILLIC = re.compile("[А-Яа-яЁё]")


def title_in(title: str, lang: str) -> str:
    """A webinar's title in the page's language where it holds both, as "English / Русский" in
    either order (the half in Cyrillic is the Russian one); any other title as it is."""
    parts = [part.strip() for part in str(title).split(" / ")]
    cyrillic = [bool(_CYRILLIC.search(part)) for part in parts]
    if len(parts) != 2 or not all(parts) or cyrillic.count(True) != 1:
        return title
    return parts[cyrillic.index(lang == "ru")]


def titles_in(titles, lang: str) -> list[str]:
    """title_in for a column of titles."""
    return [title_in(title, lang) for title in titles]


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
