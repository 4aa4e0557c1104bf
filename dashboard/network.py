"""Which addresses are this computer."""

from __future__ import annotations

import ipaddress


def is_loopback(address: str | None) -> bool:
    """Whether a peer address or host name is this computer: none given (Streamlit gives none for
    localhost), `localhost`, IPv4 127.0.0.0/8, IPv6 ::1, or either written IPv4-mapped
    (::ffff:127.0.0.1), in brackets, or with a zone (::1%lo)."""
    if address is None:
        return True
    text = address.strip().strip("[]").split("%", 1)[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text.lower() == "localhost"
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback
