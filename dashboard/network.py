"""Which addresses are this computer, and which address a request came from (behind proxies)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def ip(address: str | None) -> Address | None:
    """An address as written by a peer or a proxy — IPv4-mapped (::ffff:1.2.3.4) read as IPv4,
    in brackets, with a zone (fe80::1%eth0) or a port (1.2.3.4:5678, [::1]:80) — or None."""
    if not address:
        return None
    text = address.strip()
    if text.startswith("["):  # [v6] or [v6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # v4:port (a bare IPv6 address has two colons or more)
        text = text.split(":", 1)[0]
    text = text.split("%", 1)[0]
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(parsed, "ipv4_mapped", None)
    return mapped or parsed


def normalised(address: str) -> str:
    """`address` written one way (see `ip`): 1.2.3.4 for ::ffff:1.2.3.4, 2001:db8::1 for
    [2001:DB8:0::1]; text that is no address is returned as it is."""
    parsed = ip(address)
    return str(parsed) if parsed is not None else address


def is_loopback(address: str | None) -> bool:
    """Whether a peer address or host name is this computer: none given (Streamlit gives none for
    localhost), `localhost`, IPv4 127.0.0.0/8, IPv6 ::1, or either written IPv4-mapped
    (::ffff:127.0.0.1), in brackets, or with a zone (::1%lo)."""
    if address is None:
        return True
    text = address.strip().strip("[]").split("%", 1)[0]
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        return text.lower() == "localhost"
    mapped = getattr(parsed, "ipv4_mapped", None)
    return (mapped or parsed).is_loopback


def networks(text: str) -> tuple[Network, ...]:
    """Comma-separated addresses and CIDR ranges (`127.0.0.1, ::1, 10.0.0.0/8`), each IPv4-mapped
    one read as IPv4; ValueError naming the first entry that is neither."""
    found: list[Network] = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(
                f"{entry!r} is not an IP address or a CIDR range (such as 127.0.0.1, 10.0.0.0/8)"
            ) from None
        mapped = getattr(network.network_address, "ipv4_mapped", None)
        if mapped is not None and network.prefixlen >= 96:
            network = ipaddress.ip_network(f"{mapped}/{network.prefixlen - 96}", strict=False)
        found.append(network)
    return tuple(found)


def is_trusted(address: Address | None, trusted: Iterable[Network]) -> bool:
    return address is not None and any(address.version == n.version and address in n for n in trusted)


def client_address(peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[Network]) -> str | None:
    """The address a request came from: the peer's, normalised; or, only when the peer is a
    trusted proxy, the right-most address in X-Forwarded-For (`forwarded_for`: the headers' values
    in order) that is not itself a trusted proxy — every address to its right was written by a
    trusted proxy, everything to its left may be the client's invention. All trusted: the
    left-most. An entry that is no address (`unknown`) stops the walk at the proxy that wrote it."""
    here = ip(peer)
    if here is None:
        return peer
    if not is_trusted(here, trusted):
        return str(here)
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = ip(hop)
        if address is None:
            return str(here)
        here = address
        if not is_trusted(address, trusted):
            return str(address)
    return str(here)


def forwarded_proto(peer: str | None, forwarded_proto_values: Sequence[str], trusted: Sequence[Network]) -> str | None:
    """The scheme a trusted proxy says the browser used (`https` or `http`, X-Forwarded-Proto; in a
    chain, the left-most: the first proxy's), or None: a peer that is no trusted proxy is not heard."""
    if not is_trusted(ip(peer), trusted):
        return None
    values = [v.strip().lower() for value in forwarded_proto_values for v in value.split(",") if v.strip()]
    return values[0] if values and values[0] in ("http", "https") else None


def rate_limit_key(address: str | None) -> str:
    """What a rate limit counts by: the IPv4 address, or the /64 network of an IPv6 one (one
    device or one home or venue network holds a whole /64)."""
    parsed = ip(address)
    if parsed is None:
        return address or "unknown"
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
