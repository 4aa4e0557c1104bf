"""Which address a request came from: the peer, or behind trusted proxies the client (pure)."""

import pytest

from dashboard.network import client_address, forwarded_proto, networks, normalised, rate_limit_key

TRUSTED = networks("127.0.0.1, ::1, 10.0.0.0/8")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1.2.3.4", "1.2.3.4"),
        ("::ffff:1.2.3.4", "1.2.3.4"),  # IPv4-mapped, as a dual-stack socket reports an IPv4 peer
        ("::FFFF:7f00:1", "127.0.0.1"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("1.2.3.4:5678", "1.2.3.4"),
        ("fe80::1%eth0", "fe80::1"),
        (" 1.2.3.4 ", "1.2.3.4"),
        ("unknown", "unknown"),  # not an address: as it is
        ("_hidden", "_hidden"),
    ],
)
def test_addresses_are_written_one_way(written, expected):
    assert normalised(written) == expected


def test_trusted_proxies_are_addresses_and_ranges():
    assert [str(n) for n in networks(" 127.0.0.1 ,::1,10.0.0.0/8,, ::ffff:192.168.0.0/112 ,2001:db8::/32")] == [
        "127.0.0.1/32", "::1/128", "10.0.0.0/8", "192.168.0.0/16", "2001:db8::/32",
    ]  # fmt: skip
    assert networks("") == ()
    with pytest.raises(ValueError, match="'proxy.example.org' is not an IP address or a CIDR range"):
        networks("127.0.0.1, proxy.example.org")
    with pytest.raises(ValueError, match="'10.0.0.0/33'"):
        networks("10.0.0.0/33")


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "expected"),
    [
        # a peer that is no trusted proxy: its headers are not heard
        ("203.0.113.5", ["1.1.1.1"], "203.0.113.5"),
        ("::ffff:203.0.113.5", ["1.1.1.1"], "203.0.113.5"),
        ("127.0.0.2", ["1.1.1.1"], "127.0.0.2"),  # loopback, but not the one trusted
        # a trusted proxy: the client it names
        ("127.0.0.1", ["198.51.100.7"], "198.51.100.7"),
        ("::ffff:127.0.0.1", ["198.51.100.7"], "198.51.100.7"),  # IPv4 loopback seen IPv4-mapped
        ("::1", ["2001:db8::7"], "2001:db8::7"),
        ("127.0.0.1", [], "127.0.0.1"),  # no header: the proxy itself (or a browser on this computer)
        ("127.0.0.1", ["::ffff:198.51.100.7"], "198.51.100.7"),
        ("127.0.0.1", ["198.51.100.7:61000"], "198.51.100.7"),
        ("127.0.0.1", ["[2001:db8::7]:443"], "2001:db8::7"),
        # a chain: the right-most that is not a trusted proxy; what is left of it may be invented
        ("10.0.0.2", ["6.6.6.6, 198.51.100.7, 10.0.0.1"], "198.51.100.7"),
        ("10.0.0.2", ["6.6.6.6", "198.51.100.7, 10.0.0.1"], "198.51.100.7"),  # the header sent twice
        ("10.0.0.2", ["10.0.0.9, 10.0.0.1"], "10.0.0.9"),  # all trusted: the left-most
        # what is no address stops at the proxy that wrote it
        ("10.0.0.2", ["unknown"], "10.0.0.2"),
        ("10.0.0.2", ["198.51.100.7, unknown, 10.0.0.1"], "10.0.0.1"),
        ("10.0.0.2", [" , "], "10.0.0.2"),
        (None, ["1.1.1.1"], None),  # no peer at all (a test client)
    ],
)
def test_the_client_address(peer, forwarded_for, expected):
    assert client_address(peer, forwarded_for, TRUSTED) == expected


def test_with_no_trusted_proxy_no_header_is_heard():
    assert client_address("127.0.0.1", ["198.51.100.7"], ()) == "127.0.0.1"
    assert client_address("::1", ["198.51.100.7"], ()) == "::1"
    assert forwarded_proto("127.0.0.1", ["https"], ()) is None


@pytest.mark.parametrize(
    ("peer", "values", "expected"),
    [
        ("127.0.0.1", ["https"], "https"),
        ("::ffff:127.0.0.1", ["HTTPS"], "https"),
        ("10.0.0.2", ["https, http"], "https"),  # a chain: the first proxy's, which the browser reached
        ("127.0.0.1", ["http"], "http"),
        ("127.0.0.1", ["gopher"], None),
        ("127.0.0.1", [], None),
        ("203.0.113.5", ["https"], None),  # not a trusted proxy
    ],
)
def test_the_scheme_a_trusted_proxy_reports(peer, values, expected):
    assert forwarded_proto(peer, values, TRUSTED) == expected


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:a:b:c:d", "2001:db8:1:2::/64"),  # a device or a network holds a whole /64
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        (None, "unknown"),
        ("unix-socket", "unix-socket"),
    ],
)
def test_what_a_rate_limit_counts_by(address, key):
    assert rate_limit_key(address) == key
