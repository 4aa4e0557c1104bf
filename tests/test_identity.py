import pytest

from dashboard.identity import identity_key, normalise_email, normalise_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Ann.Lee@Example.ORG ", "ann.lee@example.org"),
        ("ann@example", None),  # no dot in the domain
        ("гость", None),
        ("", None),
        (None, None),
        ("a b@example.org", None),
        ("a@@example.org", None),
    ],
)
def test_normalise_email(raw, expected):
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Ёлкина   Мария ", "елкина мария"),
        ("ЕЛКИНА\tмария", "елкина мария"),
        ("STRASSE Groß", "strasse gross"),  # case-folded, not only lower-cased
        ("   ", None),
        (None, None),
    ],
)
def test_normalise_name(raw, expected):
    assert normalise_name(raw) == expected


def test_identity_prefers_a_usable_email_and_falls_back_to_the_name():
    assert [
        identity_key("Ann@X.org", "Ann Lee"),
        identity_key("not an email", "Ann  Lee"),
        identity_key(None, "Фёдор Петров"),
        identity_key(None, None),
    ] == ["email:ann@x.org", "name:ann lee", "name:федор петров", None]
