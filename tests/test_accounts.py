"""Accounts, tokens, sessions and the audit log (dashboard/accounts.py) and `reach users` / `reach audit`."""

import io
from datetime import timedelta

import pytest

from dashboard import accounts, cli, database

PASSWORD = "correct horse battery"


@pytest.fixture
def con():
    con = database.connect_memory()
    yield con
    con.close()


def test_an_account_signs_in_with_its_password_only(con):
    assert not accounts.accounts_exist(con)
    assert accounts.add_account(con, " Anna ", "analyst", PASSWORD) == "anna"
    assert accounts.accounts_exist(con)
    assert accounts.check_password(con, "ANNA", PASSWORD) == "analyst"
    assert accounts.check_password(con, "anna", PASSWORD + "!") is None
    assert accounts.check_password(con, "nobody", PASSWORD) is None
    stored = con.execute("select password_hash from accounts").fetchall()[0][0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize(("login", "role", "password", "problem"), [
    ("a", "viewer", PASSWORD, "a login is 2 to 64 characters: letters a-z, digits, '.', '_', '-', '@'"),
    ("anna smith", "viewer", PASSWORD, "a login is 2 to 64 characters: letters a-z, digits, '.', '_', '-', '@'"),
    ("anna", "boss", PASSWORD, "a role is one of viewer, analyst, presenter, admin"),
    ("anna", "viewer", "eleven char", "a password has at least 12 characters"),
])  # fmt: skip
def test_bad_accounts_are_refused_in_one_sentence(con, login, role, password, problem):
    with pytest.raises(accounts.AccountProblem) as refused:
        accounts.add_account(con, login, role, password)
    assert str(refused.value) == problem
    assert not accounts.accounts_exist(con)


def test_tokens_are_shown_once_and_stored_as_digests(con):
    accounts.add_account(con, "anna", "viewer", PASSWORD)
    token = accounts.new_token(con, "anna")
    assert token.startswith("reach_") and len(token) > 40
    assert token not in str(con.execute("select * from api_tokens").fetchall())
    assert accounts.token_account(con, token) == accounts.Who("anna", "viewer")
    assert accounts.token_account(con, token + "x") is None and accounts.token_account(con, None) is None
    assert accounts.revoke_tokens(con, "anna") == 1
    assert accounts.token_account(con, token) is None


def test_sessions_expire_when_idle_and_end_with_a_new_password(con):
    accounts.add_account(con, "pavel", "presenter", PASSWORD)
    session = accounts.start_session(con, "pavel")
    assert accounts.session_account(con, session, timedelta(hours=8)) == accounts.Who("pavel", "presenter")
    con.execute("update sessions set last_seen_at = last_seen_at - interval 9 hour")
    assert accounts.session_account(con, session, timedelta(hours=8)) is None  # idle too long: gone
    session = accounts.start_session(con, "pavel")
    accounts.set_password(con, "pavel", "another long password")
    assert accounts.session_account(con, session, timedelta(hours=8)) is None


def test_roles_and_what_they_may_do():
    may = {role: sorted(action for action in accounts.CAN if accounts.may(role, action)) for role in accounts.ROLES}
    assert may == {
        "viewer": ["export_aggregates", "see_overview"],
        "analyst": ["export_aggregates", "import", "see_data_page", "see_overview", "see_people"],
        "presenter": ["control_live", "export_aggregates", "see_overview"],
        "admin": sorted(accounts.CAN),
    }
    assert all(accounts.may(None, action) for action in accounts.CAN)  # the single user without accounts


def test_users_commands_and_the_audit_log(tmp_path, monkeypatch, capsys):
    db = str(tmp_path / "team.duckdb")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["users", "add", "Anna", "--role", "analyst", "--password-stdin", "--db", db]) == 0
    assert capsys.readouterr().out == "Account anna added (analyst). From now on every visitor signs in.\n"
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli.main(["users", "add", "bob", "--role", "viewer", "--password-stdin", "--db", db]) == 2
    assert capsys.readouterr().err == "reach users: a password has at least 12 characters\n"
    assert cli.main(["users", "token", "anna", "--db", db]) == 0
    token = capsys.readouterr().out.strip()
    assert cli.main(["users", "list", "--db", db]) == 0
    listing = capsys.readouterr().out
    assert listing.startswith("anna                     analyst    since ") and listing.endswith("tokens 1\n")
    assert cli.main(["users", "token", "anna", "--revoke", "--db", db]) == 0
    assert capsys.readouterr().out == "1 tokens of anna revoked.\n"
    assert cli.main(["users", "remove", "nobody", "--db", db]) == 2
    assert capsys.readouterr().err == "reach users: no account nobody\n"
    assert cli.main(["audit", "--db", db]) == 0
    log = capsys.readouterr().out
    assert [line.split()[2:4] for line in log.splitlines()] == [
        ["cli", "account-added"], ["cli", "token-created"], ["cli", "tokens-revoked"]]  # fmt: skip
    assert PASSWORD not in log and token not in log
    assert cli.main(["audit", "--since", "tomorrow", "--db", db]) == 2
