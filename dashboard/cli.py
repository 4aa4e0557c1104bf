"""The `reach` command: build the demo, serve the dashboard, report the figures."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb

from dashboard import accounts, database, demo, planning, queries, reach, settings, writes
from dashboard.filters import Filters
from dashboard.i18n import t
from dashboard.imports import mts_link_api
from dashboard.imports.loader import ImportResult, import_file
from dashboard.imports.problems import Problem
from dashboard.live.simulate import HoldsRealData, simulate
from dashboard.settings import DEFAULT_PORT, DEMO_PARTICIPANTS, DEMO_SEED, SERVER_SCRIPT, database_path
from dashboard.team_api import validated_filters


class UsageError(Exception):
    """A mistake in the command line; the message is one sentence for the user."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reach", description="Reach of a webinar programme.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="build the demo programme database")
    p.add_argument("--participants", type=int, default=DEMO_PARTICIPANTS)
    p.add_argument("--seed", type=int, default=DEMO_SEED)
    p.add_argument("--db", help="database path (default: REACH_DB or data/reach.duckdb)")

    p = sub.add_parser("serve", help="start the dashboard (a new database file starts as an empty programme)")
    p.add_argument("--db")
    p.add_argument("--port", type=int, default=DEFAULT_PORT)

    p = sub.add_parser("import", help="import platform exports and registration sheets")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--db")
    p.add_argument("--timezone", help="zone of times written without one (default: the programme's)")
    p.add_argument("--mapping", help='JSON column mapping (any format): {"columns": {field: header}, "event_title": …}')
    p.add_argument("--skip-bad-rows", action="store_true", help="import the good rows and list every skipped one")
    p.add_argument("--lang", choices=["ru", "en"], default="en", help="language of the messages")
    _server_options(p)

    p = sub.add_parser("pull", help="pull a period's participants from a platform's API (MTS Link)")
    pull = p.add_subparsers(dest="pull_command", required=True)
    q = pull.add_parser("mts-link", help="MTS Link (Webinar.ru): sessions, connections and registrations of a "
                                         "period; the token from REACH_MTSLINK_TOKEN")  # fmt: skip
    q.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD", help="first day of the period")
    q.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD", help="last day of the period")
    q.add_argument("--event", help="an MTS Link event id: only its sessions")
    q.add_argument("--db")
    q.add_argument("--timezone", help="zone of times the API gives without one (default: the programme's)")
    q.add_argument("--lang", choices=["ru", "en"], default="en", help="language of the messages")
    _server_options(q)

    p = sub.add_parser("webinar", help="webinars planned ahead (platforms with no attendance export)")
    webinar = p.add_subparsers(dest="webinar_command", required=True)
    q = webinar.add_parser("add", help="plan a webinar: registrations and check-ins can then be filed under it")
    q.add_argument("--title", required=True)
    q.add_argument("--start", required=True, metavar="'YYYY-MM-DD HH:MM'", help="in the programme's time zone")
    q.add_argument("--minutes", required=True, type=int, help="planned length")
    q.add_argument("--platform", required=True, choices=list(planning.PLATFORMS))
    q.add_argument("--series")
    q.add_argument("--db")

    p = sub.add_parser("live", help="live webinars: rehearse with simulated events")
    live = p.add_subparsers(dest="live_command", required=True)
    q = live.add_parser("simulate", help="send a realistic rehearsal webinar to a running server's ingest API")
    q.add_argument("--event", required=True, help="webinar key (an unknown key creates the webinar)")
    q.add_argument("--rate", type=float, default=5.0, help="events a second (default 5)")
    q.add_argument("--duration", type=float, default=60.0, help="seconds (default 60)")
    q.add_argument("--url", default=f"http://localhost:{DEFAULT_PORT}")
    q.add_argument("--seed", type=int)
    q = live.add_parser("clear-rehearsals", help="remove rehearsal data completely (all, or one webinar's)")
    q.add_argument("--event", help="webinar key (default: every webinar)")
    q.add_argument("--db")

    p = sub.add_parser("users", help="accounts of a team's server: add, list, remove, set-password, token")
    users = p.add_subparsers(dest="users_command", required=True)
    q = users.add_parser("add", help="add an account (the password is read from standard input)")
    q.add_argument("login")
    q.add_argument("--role", required=True, choices=list(accounts.ROLES))
    q.add_argument("--email", help="the e-mail single sign-on vouches for (docs/settings.md); optional")
    q.add_argument("--password-stdin", action="store_true", required=True, help="read the password from stdin")
    q.add_argument("--db")
    q = users.add_parser("list", help="list the accounts")
    q.add_argument("--db")
    q = users.add_parser("remove", help="remove an account, its tokens and sessions")
    q.add_argument("login")
    q.add_argument("--db")
    q = users.add_parser("set-password", help="a new password from standard input; the account's sessions end")
    q.add_argument("login")
    q.add_argument("--password-stdin", action="store_true", required=True)
    q.add_argument("--db")
    q = users.add_parser("token", help="print a new API token for the account (shown once), or --revoke them all")
    q.add_argument("login")
    q.add_argument("--revoke", action="store_true")
    q.add_argument("--db")

    p = sub.add_parser("audit", help="print the audit log: who did what, when")
    p.add_argument("--since", help="from this date (YYYY-MM-DD)")
    p.add_argument("--db")

    p = sub.add_parser("export", help="the overview's figures as a file to take away: xlsx, csv, html, pptx")
    p.add_argument("--format", required=True, choices=["xlsx", "csv", "html", "pptx"])
    p.add_argument("--out", required=True, help="the file to write (csv: a folder, one CSV per table)")
    p.add_argument("--db")
    p.add_argument("--country", action="append", help="ISO alpha-2 code or 'unknown'; repeatable")
    p.add_argument("--role", action="append", help="role code; repeatable")
    p.add_argument("--event", action="append", help="event key; repeatable")
    p.add_argument("--lang", choices=["ru", "en"], default="ru", help="language of the file (default Russian)")
    p.add_argument("--with-people", action="store_true", help="add the person-level list (personal data)")

    p = sub.add_parser("report", help="print the programme's figures")
    p.add_argument("--db")
    p.add_argument("--country", action="append", help="ISO alpha-2 code or 'unknown'; repeatable")
    p.add_argument("--role", action="append", help="role code; repeatable")
    p.add_argument("--event", action="append", help="event key; repeatable")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--include-rehearsals", action="store_true", help="count rehearsal data too (left out by default)")
    _server_options(p)
    return parser


def _server_options(p) -> None:
    p.add_argument("--url", help="a running server's address (default: REACH_URL): work through its API")
    p.add_argument("--token", help="an API token of an account on it (default: REACH_TOKEN; reach users token)")


def _server(args) -> tuple[str, str] | None:
    """(url, token) when the command goes through a running server's API, else None."""
    url = args.url or os.environ.get("REACH_URL")
    if not url:
        return None
    token = args.token or os.environ.get("REACH_TOKEN")
    if not token:
        raise UsageError("--url needs an API token: --token or REACH_TOKEN (reach users token LOGIN on the server)")
    return url.rstrip("/"), token


def _call(method: str, url: str, token: str, body: bytes | None = None, headers: dict | None = None):
    """(status, JSON answer) of a call to the server's API; UsageError when it cannot be reached."""
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Authorization": f"Bearer {token}", **(headers or {})})  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read())
        except ValueError:
            raise UsageError(f"the server answered {error.code}") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot reach {url}: {exc}") from None


def cmd_demo(args) -> int:
    if args.participants < 1:
        raise UsageError("--participants must be a positive number")
    path = database_path(args.db)
    con = database.connect(path)
    # DuckDB takes up to 80% of memory by default; a bound keeps the 1M-participant build
    # to a few GB at no cost in time (it spills what does not fit; see BENCHMARKS.md).
    con.execute("set memory_limit = '2GB'")
    try:
        demo.build_demo(con, participants=args.participants, seed=args.seed)
        figures = reach.report(con, Filters(), *reference_tables(con))
    finally:
        con.close()
    print(
        f"Demo programme written to {path}: {figures['participants']} participants, "
        f"{figures['events']} webinars, {figures['countries']} countries."
    )
    return 0


def streamlit_command(port: int) -> list[str]:
    """The command that serves the dashboard, offline and quiet."""
    from dashboard.settings import max_upload_mb

    return [
        # -P: the working directory is not put on the import path, so a folder of downloaded
        # files (a streamlit.py, a pandas.py) is never run by starting the server from it
        sys.executable, "-P", "-m", "streamlit", "run", str(SERVER_SCRIPT),
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.enableStaticServing", "true",  # map shapes from dashboard/static
        # A set address stops Streamlit from asking an internet service for our external IP.
        "--browser.serverAddress", "localhost",
        "--client.toolbarMode", "viewer",
        # Never a traceback in a browser (phones included): pages say what happened in words.
        "--client.showErrorDetails", "none",
        # Streamlit's own limit, 200 MB, would turn away a million-row Zoom report (205 MB).
        "--server.maxUploadSize", str(max_upload_mb()),
    ]  # fmt: skip


def cmd_serve(args) -> int:
    path = database_path(args.db)
    if not path.exists():  # a new programme starts empty: the demo is built only on purpose (reach demo)
        database.connect(path).close()
        print(f"New empty programme at {path}: import exports on the Data page or with `reach import --db {path}`; "
              f"`reach demo --db {path}` fills it with the demo instead.")  # fmt: skip
    env = dict(os.environ, REACH_DB=str(path.resolve()))
    print(f"Dashboard: http://localhost:{args.port}", flush=True)
    # Become the server: a signal to `reach serve` then reaches Streamlit itself.
    command = streamlit_command(args.port)
    os.execve(command[0], command, env)


def report_filters(con, args) -> Filters:
    """Filters from --country/--role/--event, checked against the database (as the API checks them)."""
    try:
        return validated_filters(con, args.country or [], args.role or [], args.event or [],
                                 bool(getattr(args, "include_rehearsals", False)))  # fmt: skip
    except ValueError as bad:
        raise UsageError(str(bad)) from None


def reference_tables(con) -> tuple:
    """The countries and roles tables, for names and stages."""
    return queries.run(con, "countries", Filters()), queries.run(con, "roles", Filters())


def cmd_live(args) -> int:
    if args.live_command == "clear-rehearsals":
        return cmd_clear_rehearsals(args)
    secret = os.environ.get("REACH_INGEST_SECRET")
    if not secret:
        raise UsageError("set REACH_INGEST_SECRET to the server's secret to sign the events")
    if args.rate <= 0 or args.duration <= 0:
        raise UsageError("--rate and --duration must be positive")
    try:
        totals = simulate(args.url, secret, args.event, args.rate, args.duration, args.seed)
    except HoldsRealData as refused:
        raise UsageError(f"webinar {refused} holds real data, so a rehearsal may not be sent to it; rehearse under "
                         f"a new key, e.g. --event rehearsal-{refused}") from None  # fmt: skip
    except (OSError, RuntimeError) as exc:
        raise UsageError(f"cannot send to {args.url}: {exc}") from exc
    print(f"Rehearsal {args.event}: sent {totals['sent']}, accepted {totals['accepted']}, "
          f"duplicates {totals['duplicates']} in {totals['seconds']} s")  # fmt: skip
    return 0


def cmd_clear_rehearsals(args) -> int:
    con = database.connect(database_path(args.db))
    try:
        with database.transaction(con):
            removed = writes.clear_rehearsals(con, args.event)
            writes.refresh_after_removal(con)
    except writes.NothingToRemove as missing:
        raise UsageError(f"no {missing} in the database") from None
    finally:
        con.close()
    audit_from_cli("rehearsals-cleared", f"{args.event or 'all'}: {removed.rows} events", args.db)
    print(f"Rehearsal data removed: {removed.rows} live events, {removed.persons} persons, "
          f"{removed.webinars} webinars.")  # fmt: skip
    return 0


def audit_from_cli(action: str, detail: str, db: str | None) -> None:
    con = database.connect(database_path(db))
    try:
        accounts.audit(con, "cli", action, detail)
    finally:
        con.close()


def cmd_report(args) -> int:
    server = _server(args)
    if server:
        query = [("country", c) for c in args.country or []] + [("role", r) for r in args.role or []]
        query += [("event", e) for e in args.event or []]
        query += [("include_rehearsals", "1")] if args.include_rehearsals else []
        status, answer = _call("GET", f"{server[0]}/api/v1/report?{urllib.parse.urlencode(query)}", server[1])
        if status != 200:
            raise UsageError(answer.get("error", f"the server answered {status}"))
        print(json.dumps(answer, ensure_ascii=False, indent=2) if args.json else reach.report_text(answer))
        return 0
    path = database_path(args.db)
    if not path.exists():
        raise UsageError(f"no database at {path}; build one with `reach demo`")
    con, note = database.open_for_reading(path)
    if note:
        print(f"reach report: {note}", file=sys.stderr)
    try:
        report = reach.report(con, report_filters(con, args), *reference_tables(con))
    finally:
        con.close()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(reach.report_text(report))
    return 0


def _mapping(path: str | None) -> dict | None:
    if not path:
        return None
    try:
        mapping = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the mapping file {path}: {exc}") from exc
    if not isinstance(mapping, dict) or not isinstance(mapping.get("columns", {}), dict):
        raise UsageError(f'the mapping file {path} must hold {{"columns": {{field: header}}}}')
    return mapping


def _zone(name: str | None) -> str | None:
    if name is None:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(f"unknown time zone {name!r} (expected e.g. Europe/Moscow)") from exc
    return name


def cmd_import(args) -> int:
    """Each file on its own: imported completely or not at all; exit 1 if any was rejected."""
    server = _server(args)
    if server:
        return import_through(server, args)
    mapping, zone = _mapping(args.mapping), _zone(args.timezone)
    con = database.connect(database_path(args.db))
    try:
        results = [
            import_file(con, Path(f).read_bytes(), Path(f).name, zone=zone, mapping=mapping,
                        skip_bad_rows=args.skip_bad_rows)
            if Path(f).is_file() else ImportResult(f, "rejected", [Problem("missing_file")])
            for f in args.files
        ]  # fmt: skip
    finally:
        con.close()
    for result in results:
        audit_from_cli("import", f"{result.file_name}: {result.status}, {result.records} records", args.db)
        print(result.summary(args.lang), file=sys.stderr if result.status == "rejected" else sys.stdout)
    return 1 if any(r.status == "rejected" for r in results) else 0


def import_through(server: tuple[str, str], args) -> int:
    """reach import --url: each file sent to the running server's API, which imports it as the
    Data page does (all or nothing; the same file again changes nothing)."""
    if args.mapping or args.skip_bad_rows:
        raise UsageError("--mapping and --skip-bad-rows work on a database file; with --url, map columns on the "
                         "Data page (the mapping is saved for files with the same headers)")  # fmt: skip
    zone = _zone(args.timezone)
    rejected = False
    for f in args.files:
        path = Path(f)
        if not path.is_file():
            print(ImportResult(f, "rejected", [Problem("missing_file")]).summary(args.lang), file=sys.stderr)
            rejected = True
            continue
        answer = _send_file(server, path.name, path.read_bytes(), zone)
        rejected |= answer["status"] == "rejected"
        print(answer["summary"], file=sys.stderr if answer["status"] == "rejected" else sys.stdout)
    return 1 if rejected else 0


def _send_file(server: tuple[str, str], name: str, data: bytes, zone: str | None) -> dict:
    """One file through the running server's import API; its JSON result."""
    query = f"?{urllib.parse.urlencode({'timezone': zone})}" if zone else ""
    status, answer = _call("POST", f"{server[0]}/api/v1/imports{query}", server[1], data,
                           {"X-Reach-Filename": name, "Content-Type": "application/octet-stream"})  # fmt: skip
    if status not in (200, 422):
        raise UsageError(answer.get("error", f"the server answered {status}"))
    return answer


def _password() -> str:
    """The password from standard input (its first line), never from the command line."""
    return sys.stdin.readline().rstrip("\r\n")


def cmd_users(args) -> int:
    con = database.connect(database_path(args.db))
    try:
        with database.transaction(con, facts=False):
            message = _users(con, args)
    except accounts.AccountProblem as problem:
        raise UsageError(str(problem)) from None
    finally:
        con.close()
    print(message)
    return 0


def _users(con, args) -> str:
    command = args.users_command
    if command == "list":
        lines = [f"{login:<24} {role:<10} since {str(created)[:10]}  tokens {tokens}"
                 + (f"  sso {email}" if email else "")
                 for login, role, created, tokens, email in accounts.list_accounts(con)]  # fmt: skip
        return "\n".join(lines) or "No accounts: this computer works as one user's."
    if command == "add":
        login = accounts.add_account(con, args.login, args.role, _password(), args.email)
        accounts.audit(con, "cli", "account-added", f"{login} as {args.role}")
        return f"Account {login} added ({args.role}). From now on every visitor signs in."
    if command == "remove":
        accounts.remove_account(con, args.login)
        accounts.audit(con, "cli", "account-removed", args.login.strip().lower())
        return f"Account {args.login.strip().lower()} removed."
    if command == "set-password":
        accounts.set_password(con, args.login, _password())
        accounts.audit(con, "cli", "password-set", args.login.strip().lower())
        return f"Password of {args.login.strip().lower()} set; its sessions ended."
    if args.revoke:
        n = accounts.revoke_tokens(con, args.login)
        accounts.audit(con, "cli", "tokens-revoked", f"{args.login.strip().lower()}: {n}")
        return f"{n} tokens of {args.login.strip().lower()} revoked."
    token = accounts.new_token(con, args.login)
    accounts.audit(con, "cli", "token-created", args.login.strip().lower())
    return token


def cmd_audit(args) -> int:
    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since)
        except ValueError:
            raise UsageError(f"--since {args.since!r} is not a date (expected YYYY-MM-DD)") from None
    con, _ = database.open_for_reading(database_path(args.db))
    try:
        rows = accounts.audit_entries(con, since)
    finally:
        con.close()
    for at, actor, action, detail, address in rows:
        print(f"{at:%Y-%m-%d %H:%M:%S}  {actor or '-':<16} {action:<18} {detail or ''}"
              + (f"  [{address}]" if address else ""))  # fmt: skip
    return 0


def cmd_pull(args) -> int:
    """reach pull mts-link: the period's document from the API, imported as a file is (all or nothing;
    the same answers again change nothing), into the database file or through a running server."""
    period = mts_link_api.Period(_day(args.start, "--from"), _day(args.end, "--to"), args.event)
    if period.end < period.start:
        raise UsageError("--to is before --from")
    if (period.end - period.start).days > 366:
        raise UsageError("a pull covers at most a year: split the period")
    try:
        client = mts_link_api.Client(settings.mtslink_token() or "", settings.mtslink_url())
        data = mts_link_api.pull(client, period)
    except mts_link_api.PullFailed as failed:
        raise UsageError(str(failed)) from None
    name = mts_link_api.file_name(period)
    server = _server(args)
    if server:
        answer = _send_file(server, name, data, _zone(args.timezone))
        print(answer["summary"], file=sys.stderr if answer["status"] == "rejected" else sys.stdout)
        return 1 if answer["status"] == "rejected" else 0
    con = database.connect(database_path(args.db))
    try:
        result = import_file(con, data, name, zone=_zone(args.timezone))
    finally:
        con.close()
    audit_from_cli("pull", f"{name}: {result.status}, {result.records} records", args.db)
    print(result.summary(args.lang), file=sys.stderr if result.status == "rejected" else sys.stdout)
    return 1 if result.status == "rejected" else 0


def cmd_export(args) -> int:
    """reach export: the file is written whole or not at all (a temporary name, then renamed)."""
    from dashboard import exports

    out = Path(args.out)
    if args.format != "csv" and out.is_dir():
        raise UsageError(f"--out {out} is a folder; name the file to write, e.g. {out / ('reach.' + args.format)}")
    if not out.parent.is_dir():
        raise UsageError(f"the folder {out.parent} does not exist")
    path = database_path(args.db)
    if not path.exists():
        raise UsageError(f"no database at {path}; build one with `reach demo` or import files")
    con, note = database.open_for_reading(path)
    if note:
        print(f"reach export: {note}", file=sys.stderr)
    try:
        filters = report_filters(con, args)
        partial = out.with_name(out.name + ".partial")
        exports.export(con, args.format, partial, filters, args.lang, with_people=args.with_people)
    finally:
        con.close()
    if out.exists() and out.is_dir():
        shutil.rmtree(out)
    partial.replace(out)
    audit_from_cli("export", f"{args.format}{', with people' if args.with_people else ''}: {out.name}", args.db)
    print(f"{out}: written ({args.format}, {args.lang})")
    return 0


def _day(text: str, flag: str):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{flag} {text!r} is not a date (expected YYYY-MM-DD)") from None


def cmd_webinar(args) -> int:
    con = database.connect(database_path(args.db))
    try:
        zone = database.programme_setting(con, "timezone") or "UTC"
        plan = planning.Plan(args.title, args.start, args.minutes, args.platform, args.series)
        try:
            with database.transaction(con):
                event_key = planning.plan_webinar(con, plan, zone)
                database.refresh(con)
        except planning.PlanProblem as problem:
            raise UsageError(f"--{problem.field}: " + t(f"plan_{problem.code}", "en", **problem.values)) from None
    finally:
        con.close()
    audit_from_cli("webinar-planned", event_key, args.db)
    print(f"Webinar {event_key} planned ({args.platform}, {args.start} {zone}, {args.minutes} min). Import its "
          f"registrations with a sheet whose webinar is {args.title!r} on that day; the live view's check-in counts "
          "its audience.")  # fmt: skip
    return 0


COMMANDS = {"demo": cmd_demo, "serve": cmd_serve, "import": cmd_import, "live": cmd_live, "report": cmd_report,
            "users": cmd_users, "audit": cmd_audit, "pull": cmd_pull, "webinar": cmd_webinar,
            "export": cmd_export}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (UsageError, database.DatabaseError) as exc:
        print(f"reach {args.command}: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:  # a file damaged past its header fails only when read
        path = database_path(getattr(args, "db", None))
        print(f"reach {args.command}: the database {path} could not be read: it is damaged "
              f"({type(exc).__name__}); restore it from a backup copy", file=sys.stderr)  # fmt: skip
        return 2


if __name__ == "__main__":
    sys.exit(main())
