"""Benchmark: `reach import` of every format other than the Zoom attendee report, in rows per second.

Writes deterministic files under benchmarks/out/formats/ (200,000 rows each by default; an .xls
sheet holds at most 65,536 rows, so the .xls file has 65,000), then runs `reach import` on each
into a fresh database several times, as benchmarks/import_zoom.py does (wall time including
Python start-up and the refresh of the derived facts), and reports the median, the rows per
second of that wall time, and the command's peak memory. Target (issue 12): ≥ 100,000 rows/s.
Run: `python benchmarks/import_formats.py [--rows 200000] [--runs 3] [--format webex ...]`.
The .xls file needs xlwt (`pip install xlwt`, as tests/fixtures/make_excel_fixtures.py does);
without it that format is skipped.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out" / "formats"
XLS_ROWS = 65_000  # an .xls sheet: 65,536 rows at most
COUNTRIES = ("Россия", "Казахстан", "Беларусь", "Армения", "Киргизия", "Узбекистан", "Таджикистан", "Азербайджан")
JOBS = ("Генеральный директор", "научный сотрудник", "экономист", "студент", "специалист министерства", "инженер", "")
WEBINARS = tuple(f"Кластерная политика — занятие {n}" for n in range(1, 11))
START = datetime(2026, 10, 1, 11, 0)


def _people(rows: int) -> int:
    return max(1, rows // 3)  # about three rows per person: rejoins, or three webinars


def _visit(rng: random.Random, people: int, webinars: int = 1) -> tuple[int, int, datetime, datetime]:
    """(person, webinar, join, leave): a visit of up to an hour within a four-hour webinar."""
    p, w = rng.randrange(people), rng.randrange(webinars)
    joined = START + timedelta(days=7 * w, seconds=rng.randrange(0, 4 * 3600))
    return p, w, joined, joined + timedelta(seconds=rng.randrange(60, 3600))


def webex(path: Path, rows: int) -> None:
    """Webex's attendance report: UTF-16, tabs, every cell ="…", US times, durations in mins."""
    rng, people = random.Random(11), _people(rows)
    us = "%m/%d/%Y %I:%M %p"
    lines = ["\t".join(f'="{h}"' for h in ("Meeting Name", "Start Time", "Name", "Email", "Join time", "Leave time",
                                           "Duration", "Role", "Country"))]  # fmt: skip
    for i in range(rows):
        p, _, joined, left = _visit(rng, people)
        role = "Host" if i == 0 else "Attendee"
        cells = (WEBINARS[0], f"{START:{us}}", f"Participant {p}", f"person{p}@example.org", f"{joined:{us}}",
                 f"{left:{us}}", f"{(left - joined).seconds // 60} mins", role, "Russia")  # fmt: skip
        lines.append("\t".join(f'="{c}"' for c in cells))
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-16")


MTS_HEADER = ("Имя", "Фамилия", "Email", "Имя в чате", "Роль", "Организация", "Должность", "Страна", "Время входа",
              "Время выхода")  # fmt: skip
MTS_TITLE = (("Статистика участников",), ("Вебинар:", WEBINARS[0]), ("Дата:", f"{START:%d.%m.%Y}"), ())


def mts_link_rows(rows: int) -> list[tuple]:
    """MTS Link's participant statistics (the tests' mts_link_participants.xls, longer)."""
    rng, people = random.Random(13), _people(rows)
    ru = "%d.%m.%Y %H:%M"
    out = []
    for _ in range(rows):
        p, _, joined, left = _visit(rng, people)
        out.append((f"Участник{p}", f"Фамилия{p % 997}", f"person{p}@example.org", f"Участник {p}", "Участник",
                    f"Организация {p % 500}", JOBS[p % len(JOBS)], COUNTRIES[p % len(COUNTRIES)], f"{joined:{ru}}",
                    f"{left:{ru}}"))  # fmt: skip
    return out


def mts_link_csv(path: Path, rows: int) -> None:
    lines = [";".join(r) for r in MTS_TITLE] + [";".join(MTS_HEADER)] + [";".join(r) for r in mts_link_rows(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def mts_link_xlsx(path: Path, rows: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Участники")
    for n, row in enumerate([*MTS_TITLE, MTS_HEADER, *mts_link_rows(rows)]):
        for c, value in enumerate(row):
            sheet.write_string(n, c, value)
    book.close()


def mts_link_xls(path: Path, rows: int) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Участники")
    for n, row in enumerate([*MTS_TITLE, MTS_HEADER, *mts_link_rows(min(rows, XLS_ROWS))]):
        for c, value in enumerate(row):
            sheet.write(n, c, value)
    book.save(str(path))


def bbb(path: Path, rows: int) -> None:
    """BigBlueButton's Learning Dashboard session data: one row per person, every value quoted,
    CRLF, en-US browser times; the anonymous poll answers' row last."""
    rng = random.Random(17)
    us = "%m/%d/%Y, %I:%M:%S %p"
    lines = ["Name,Moderator,Activity Score,Talk time,Webcam Time,Messages,Reactions,Poll Votes,Raise Hands,Join,"
             "Left,Duration,Was the pace right?"]  # fmt: skip
    for i in range(rows):
        joined = START + timedelta(seconds=rng.randrange(0, 4 * 3600))
        stay = rng.randrange(60, 3600)
        left = joined + timedelta(seconds=stay + rng.randrange(0, 600))
        cells = (f"Participant {i}", "TRUE" if i == 0 else "FALSE", "1.5", "-", "-", "0", "0", "1", "0",
                 f"{joined:{us}}", f"{left:{us}}", f"{stay // 3600:02d}:{stay % 3600 // 60:02d}:{stay % 60:02d}",
                 rng.choice(("Yes", "No", "-")))  # fmt: skip
        lines.append(",".join(f'"{c}"' for c in cells))
    lines.append(",".join(['"Anonymous"'] + ['""'] * 12))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))


def registration_sheet(path: Path, rows: int) -> None:
    """A registration form's sheet (Google / Yandex Forms) in Windows-1251 with semicolons, ten webinars."""
    rng, people = random.Random(19), _people(rows)
    lines = ["Отметка времени;ФИО;Адрес электронной почты;Страна;Организация;Род деятельности;Вебинар;Дата"]
    for _ in range(rows):
        p, w = rng.randrange(people), rng.randrange(len(WEBINARS))
        day = START + timedelta(days=7 * w)
        at = day - timedelta(days=1, seconds=rng.randrange(0, 7 * 86400))
        lines.append(f"{at:%d.%m.%Y %H:%M};Участник {p} Иванович;person{p}@example.org;{COUNTRIES[p % len(COUNTRIES)]};"
                     f"Организация {p % 500};{JOBS[p % len(JOBS)]};{WEBINARS[w]};{day:%d.%m.%Y}")  # fmt: skip
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))


ATTENDANCE_HEADER = ("ФИО", "E-mail", "Страна", "Организация", "Должность", "Мероприятие", "Дата", "Время входа",
                     "Время выхода")  # fmt: skip


def attendance_rows(rows: int) -> list[tuple]:
    rng, people = random.Random(23), _people(rows)
    ru = "%d.%m.%Y %H:%M"
    out = []
    for _ in range(rows):
        p, w, joined, left = _visit(rng, people, len(WEBINARS))
        out.append((f"Участник {p} Иванович", f"person{p}@example.org", COUNTRIES[p % len(COUNTRIES)],
                    f"Организация {p % 500}", JOBS[p % len(JOBS)], WEBINARS[w], f"{joined:%d.%m.%Y}",
                    f"{joined:{ru}}", f"{left:{ru}}"))  # fmt: skip
    return out


def attendance_csv(path: Path, rows: int) -> None:
    """An attendance sheet by hand: UTF-8, commas, ten webinars."""
    lines = [",".join(ATTENDANCE_HEADER)] + [",".join(f'"{c}"' if "," in c else c for c in r)
                                             for r in attendance_rows(rows)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def attendance_xlsx(path: Path, rows: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Посещаемость")
    for n, row in enumerate([ATTENDANCE_HEADER, *attendance_rows(rows)]):
        for c, value in enumerate(row):
            sheet.write_string(n, c, value)
    book.close()


def zoom_registration(path: Path, rows: int) -> None:
    """Zoom's Registration Report: one registrant per row, a country and an occupation question."""
    rng = random.Random(29)
    fmt = "%b %d, %Y %H:%M:%S"
    head = ('Registration Report,\nReport Generated:,"Oct 02, 2026 10:05 AM"\n'
            "Topic,Webinar ID,Scheduled Time,Duration (minutes),# Registered\n"
            f'"{WEBINARS[0]}",901 234 5678,"{START:{fmt}}",90,{rows}\nRegistrant Details,\n'
            "First Name,Last Name,Email,Registration Time,Approval Status,Страна,Должность\n")  # fmt: skip
    body = []
    for i in range(rows):
        at = START - timedelta(seconds=rng.randrange(1, 14 * 86400))
        body.append(f'Участник,{i},person{i}@example.org,"{at:{fmt}}",approved,{COUNTRIES[i % len(COUNTRIES)]},'
                    f"{JOBS[i % len(JOBS)]}")  # fmt: skip
    path.write_text(head + "\n".join(body) + "\n", encoding="utf-8-sig")


# name -> (file name, writer)
FORMATS = {
    "webex": ("webex_{rows}.csv", webex),
    "mts-link-xlsx": ("mts_link_{rows}.xlsx", mts_link_xlsx),
    "mts-link-xls": ("mts_link_{rows}.xls", mts_link_xls),
    "mts-link-csv": ("mts_link_{rows}.csv", mts_link_csv),
    "bbb": ("rows_{rows}/LearningDashboard_Bench-webinar_2026-10-01.csv", bbb),  # the name BBB gives it
    "registration-sheet": ("registration_sheet_{rows}.csv", registration_sheet),
    "attendance-sheet-csv": ("attendance_sheet_{rows}.csv", attendance_csv),
    "attendance-sheet-xlsx": ("attendance_sheet_{rows}.xlsx", attendance_xlsx),
    "zoom-registration": ("zoom_registration_{rows}.csv", zoom_registration),
}


def file_for(name: str, rows: int) -> tuple[Path, int] | None:
    """The benchmark file of a format (written once), and its data rows; None when it cannot be written."""
    pattern, writer = FORMATS[name]
    rows = min(rows, XLS_ROWS) if name == "mts-link-xls" else rows
    path = OUT / pattern.format(rows=rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        try:
            writer(path, rows)
        except ImportError as exc:
            print(f"{name}: skipped ({exc.name} is not installed)")
            return None
    return path, rows


def reach_import(path: Path, db: Path) -> tuple[float, float, str]:
    """(wall seconds, peak memory in GB, summary line) of one `reach import` into a fresh database.
    The peak is the command's own (os.wait4: the process and the children it waited for)."""
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "import", str(path), "--db", str(db),
                              "--timezone", "Europe/Moscow"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    out = child.stdout.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    db.unlink(missing_ok=True)
    return wall, usage.ru_maxrss / 2**20, out.strip()


def run(path: Path, runs: int) -> tuple[list[float], list[float], float, str]:
    """Wall times of `reach import` (fresh database each run), the import's own seconds, the peak
    memory of the runs, the last summary."""
    times, own, peak, summary = [], [], 0.0, ""
    for run_no in range(runs):
        wall, memory, summary = reach_import(path, OUT / f"import_{run_no}.duckdb")
        times.append(wall)
        peak = max(peak, memory)
        seconds = re.search(r"(?:за|in) ([\d.]+) (?:с|s)$", summary)
        own.append(float(seconds.group(1)) if seconds else float("nan"))
    return times, own, peak, summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", action="append", choices=sorted(FORMATS), help="only these (repeatable)")
    args = parser.parse_args()
    print("| format | file | rows | `reach import`, median | rows/s (wall) | the import's own time | peak memory |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name in args.format or FORMATS:
        found = file_for(name, args.rows)
        if found is None:
            continue
        path, rows = found
        times, own, peak, summary = run(path, args.runs)
        if ": imported" not in summary.split("\n")[0]:  # a rejected file is no measure
            print(f"| {name} | {path.name} | {rows:,} | not imported: {' '.join(summary.split())[:200]} | | | |")
            continue
        wall = statistics.median(times)
        print(f"| {name} | {path.name} ({path.stat().st_size / 2**20:.0f} MB) | {rows:,} | {wall:.2f} s "
              f"({', '.join(f'{t:.2f}' for t in times)}) | {rows / wall:,.0f} | {statistics.median(own):.1f} s | "
              f"{peak:.2f} GB |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
