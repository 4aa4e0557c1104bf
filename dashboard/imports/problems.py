"""What can be wrong with an imported file, said in the user's language, naming file, line
and column."""

from __future__ import annotations

from dataclasses import dataclass, field

MESSAGES: dict[str, dict[str, str]] = {
    "no_event_time": {
        "ru": "не удалось определить дату вебинара: нет ни времени начала, ни даты, ни времени входа",
        "en": "cannot tell when the webinar took place: no start time, date or join time",
    },
    "internal": {
        "ru": "внутренняя ошибка при записи ({detail}); ничего не записано — сообщите разработчикам",
        "en": "internal error while writing ({detail}); nothing was written — please report it",
    },
    "bad_encoding": {
        "ru": "файл не читается как текст в кодировке {encoding} (обрезан или повреждён?)",
        "en": "the file does not read as text in {encoding} (truncated or damaged?)",
    },
    "damaged_workbook": {
        "ru": "файл Excel ({kind}) повреждён или обрезан и не открывается",
        "en": "the Excel file ({kind}) is damaged or truncated and does not open",
    },
    "missing_file": {
        "ru": "файл не найден",
        "en": "no such file",
    },
    "empty": {
        "ru": "файл пуст",
        "en": "the file is empty",
    },
    "binary": {
        "ru": "это не текстовая таблица и не файл Excel (двоичные данные)",
        "en": "this is neither a text table nor an Excel file (binary data)",
    },
    "unrecognised": {
        "ru": "формат не распознан: ожидался отчёт Zoom, Webex, МТС Линк, BigBlueButton или таблица с колонками ФИО/E-mail",
        "en": "format not recognised: expected a Zoom, Webex, MTS Link or BigBlueButton report, or a sheet with name/e-mail "
        "columns",
    },
    "header_only": {
        "ru": "в файле есть заголовок, но нет ни одной строки с данными",
        "en": "the file has a header but no data rows",
    },
    "no_identity_column": {
        "ru": "не найдена колонка с ФИО или e-mail (заголовки: {headers})",
        "en": "no name or e-mail column found (headers: {headers})",
    },
    "no_event": {
        "ru": "не удалось определить вебинар: нет колонки «Вебинар»/«Мероприятие» и темы в отчёте",
        "en": "cannot tell which webinar: no webinar/event column and no topic in the report",
    },
    "bad_time": {
        "ru": "не удалось прочитать время «{value}»; ожидалось, например, 28.03.2026 14:05 или Mar 28, 2026 14:05:00",
        "en": "cannot read the time '{value}'; expected e.g. 28.03.2026 14:05 or Mar 28, 2026 14:05:00",
    },
    "leave_before_join": {
        "ru": "время выхода {left} раньше времени входа {joined}",
        "en": "leave time {left} is before join time {joined}",
    },
    "no_person": {
        "ru": "нет ни e-mail, ни имени — непонятно, кто это",
        "en": "neither an e-mail nor a name: cannot tell who this is",
    },
    "too_few_fields": {
        "ru": "в строке {found} полей, ожидалось {expected}",
        "en": "the row has {found} fields, expected {expected}",
    },
    "unterminated_quote": {
        "ru": "кавычка не закрыта до конца файла (файл обрезан?)",
        "en": "a quoted field is not closed before the end of the file (truncated file?)",
    },
    "bad_mapping": {
        "ru": "в сопоставлении колонок указана колонка «{column}», которой нет в файле",
        "en": "the column mapping names a column '{column}' that is not in the file",
    },
    "bad_duration": {
        "ru": "не удалось прочитать длительность «{value}»; ожидалось, например, 65 mins",
        "en": "cannot read the duration '{value}'; expected e.g. 65 mins",
    },
    "no_times": {
        "ru": "нет времени входа: для посещения нужны время входа и выхода (или длительность)",
        "en": "no join time: an attendance needs join and leave times (or a duration)",
    },
    "bbb_file_name": {
        "ru": "название и дата вебинара BigBlueButton берутся из имени файла, а оно не такое, каким его сохраняет браузер: "
        "LearningDashboard_<название-через-дефисы>_<ГГГГ-ММ-ДД>.csv (например, "
        "LearningDashboard_Кластеры-Пермь_2026-11-20.csv). Верните файлу это имя или укажите название вебинара "
        "в сопоставлении колонок",
        "en": "a BigBlueButton webinar's title and date come from the file name, and this one is not the name the browser "
        "saved: LearningDashboard_<meeting-name-with-hyphens>_<YYYY-MM-DD>.csv (e.g. "
        "LearningDashboard_Industrial-clusters_2026-11-20.csv). Give the file that name back, or name the webinar "
        "in the column mapping",
    },
    "bad_browser_time": {
        "ru": "не удалось прочитать время «{value}»; ожидалось время, записанное браузером, например "
        "27.11.2026, 10:02:13, 27/11/2026, 10:02:13 или 11/27/2026, 10:02:13 AM",
        "en": "cannot read the time '{value}'; expected a time as a browser writes it, e.g. "
        "27.11.2026, 10:02:13, 27/11/2026, 10:02:13 or 11/27/2026, 10:02:13 AM",
    },
    "bad_clock": {
        "ru": "не удалось прочитать длительность «{value}»; ожидалось ЧЧ:ММ:СС, например 01:05:00",
        "en": "cannot read the duration '{value}'; expected HH:MM:SS, e.g. 01:05:00",
    },
    "bad_flag": {
        "ru": "не удалось прочитать «{value}»; ожидалось TRUE или FALSE",
        "en": "cannot read '{value}'; expected TRUE or FALSE",
    },
    "too_long": {
        "ru": "интервал длиннее суток ({joined} — {left})",
        "en": "the interval is longer than a day ({joined} to {left})",
    },
    # Limits (docs/imports.md, Limits): the file is refused as a whole, nothing is written.
    "too_large_file": {
        "ru": "файл занимает {size_mb} МБ — больше допустимых {limit_mb} МБ (настройка REACH_MAX_UPLOAD_MB)",
        "en": "the file is {size_mb} MB, more than the {limit_mb} MB allowed (setting REACH_MAX_UPLOAD_MB)",
    },
    "too_much_memory": {
        "ru": "для чтения файла нужно больше {limit_mb} МБ памяти; чтение остановлено (настройка REACH_IMPORT_MEMORY_MB)",
        "en": "the file needs more than {limit_mb} MB of memory to read; reading was stopped (setting REACH_IMPORT_MEMORY_MB)",
    },
    "too_slow": {
        "ru": "чтение файла заняло больше {seconds} с и было остановлено (настройка REACH_IMPORT_SECONDS)",
        "en": "reading the file took longer than {seconds} s and was stopped (setting REACH_IMPORT_SECONDS)",
    },
    "too_many_records": {
        "ru": "в файле {records} записей — больше {limit} за один импорт (настройка REACH_IMPORT_MAX_RECORDS); разделите файл",
        "en": "the file holds {records} records, more than {limit} in one import (setting REACH_IMPORT_MAX_RECORDS); split it",
    },
    "too_many_cells": {
        "ru": "лист «{sheet}» занимает диапазон {range} — больше {limit} ячеек (настройка REACH_IMPORT_MAX_CELLS)",
        "en": "the sheet '{sheet}' spans {range}, more than {limit} cells (setting REACH_IMPORT_MAX_CELLS)",
    },
    "too_many_texts": {
        "ru": "файл Excel объявляет {count} разных текстов — больше {limit} (настройка REACH_IMPORT_MAX_CELLS)",
        "en": "the Excel file declares {count} distinct texts, more than {limit} (setting REACH_IMPORT_MAX_CELLS)",
    },
    "zip_bomb": {
        "ru": "файл Excel ({packed_mb} МБ) распаковывается в {unpacked_mb} МБ — так не выглядит ни одна выгрузка "
        "(допустимо до {limit_mb} МБ и сжатие не сильнее {ratio}:1)",
        "en": "the Excel file ({packed_mb} MB) unpacks to {unpacked_mb} MB, which no export does "
        "(allowed: up to {limit_mb} MB, compressed at most {ratio}:1)",
    },
    "field_too_long": {
        "ru": "поле длиннее {limit} символов — это не таблица выгрузки",
        "en": "a field is longer than {limit} characters: this is not an exported table",
    },
    "too_many_columns": {
        "ru": "в строке {found} полей — больше {limit}",
        "en": "the row has {found} fields, more than {limit}",
    },
    "reader_crashed": {
        "ru": "чтение файла аварийно прервалось ({detail}); ничего не записано",
        "en": "reading the file stopped abnormally ({detail}); nothing was written",
    },
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (line and column, when known) and what."""

    code: str
    line: int | None = None
    column: str | None = None
    values: dict = field(default_factory=dict)

    def text(self, file_name: str, lang: str = "ru") -> str:
        message = MESSAGES[self.code][lang if lang in ("ru", "en") else "ru"].format(**self.values)
        where = [file_name]
        if self.line is not None:
            where.append(("строка " if lang == "ru" else "line ") + str(self.line))
        if self.column:
            where.append(("колонка «" + self.column + "»") if lang == "ru" else f"column '{self.column}'")
        return ", ".join(where) + ": " + message


def grouped(number: int) -> str:
    """A count with its thousands apart (10 000 000), for messages in either language."""
    return f"{number:,}".replace(",", " ")


class FileRejected(Exception):
    """The file as a whole cannot be imported; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].code if problems else "rejected")
        self.problems = problems
