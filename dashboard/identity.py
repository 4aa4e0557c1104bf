"""Who is a person: the identity key of docs/metrics.md."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SPACES = re.compile(r"\s+")


def normalise_email(email: str | None) -> str | None:
    """Trimmed, lower-case e-mail, or None when it is not a usable address."""
    if email is None:
        return None
    value = email.strip().lower()
    return value if _EMAIL.match(value) else None


def normalise_name(name: str | None) -> str | None:
    """Case-folded full name with whitespace collapsed and ё→е, or None when empty."""
    if name is None:
        return None
    value = _SPACES.sub(" ", name.casefold().replace("ё", "е")).strip()
    return value or None


def identity_key(email: str | None, name: str | None) -> str | None:
    """'email:<address>' when the e-mail is usable, else 'name:<name>', else None."""
    address = normalise_email(email)
    if address:
        return f"email:{address}"
    full_name = normalise_name(name)
    return f"name:{full_name}" if full_name else None
