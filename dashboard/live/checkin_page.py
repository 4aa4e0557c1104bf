"""The audience check-in page as plain HTML: light enough for any phone, no script, nothing
loaded from elsewhere, and nothing of the programme's data (no figures, no names)."""

from __future__ import annotations

import base64
import hashlib
import re
import socket
from html import escape
from urllib.parse import urlencode, urlsplit

import pandas as pd
import segno

from dashboard.i18n import t
from dashboard.network import is_loopback

_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6fa;color:#14213d}
main{max-width:34rem;margin:0 auto;padding:1.25rem}
h1{font-size:1.6rem;margin:.5rem 0}
.webinar{font-size:1.1rem;font-weight:600;color:#1f4e9c}
label,legend{display:block;font-weight:600;margin:1rem 0 .4rem}
select{width:100%;font-size:1.1rem;padding:.6rem;border:1px solid #8a94a6;border-radius:.4rem;background:#fff}
fieldset{border:0;padding:0;margin:1rem 0 0}
legend{padding:0}
.role{display:flex;align-items:center;gap:.6rem;padding:.6rem;margin:.3rem 0;background:#fff;
 border:1px solid #c5ccd8;border-radius:.4rem;font-weight:400}
.role input{width:1.3rem;height:1.3rem;flex:none;margin:0}
button{width:100%;margin-top:1.2rem;padding:.9rem;font-size:1.2rem;border:0;border-radius:.4rem;
 background:#1f4e9c;color:#fff}
.error{background:#fde8e8;border:1px solid #c53030;color:#8b1a1a;padding:.7rem;border-radius:.4rem}
.done{background:#e6f4ea;border:1px solid #2f855a;padding:.9rem;border-radius:.4rem}
.lang{float:right;font-size:.95rem}
a{color:#1f4e9c}
.code{width:100%;box-sizing:border-box;font-size:1.6rem;letter-spacing:.4rem;padding:.5rem;text-align:center;
 border:1px solid #8a94a6;border-radius:.4rem}
"""

# What the page may load: its one inline style (by its hash), nothing else; the form posts here;
# no page may frame it. No script, image or font is ever needed (docs/api.md, "Headers").
STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{STYLE_HASH}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def _document(lang: str, body: str, language_link: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(t('checkin_title', lang))}</title><style>{STYLE}</style></head>"
        f'<body><main><a class="lang" href="{escape(language_link)}">{escape(t("checkin_other_language", lang))}</a>'
        f"<h1>{escape(t('checkin_title', lang))}</h1>{body}</main></body></html>"
    )


def _selected(yes: bool, attribute: str) -> str:
    return f" {attribute}" if yes else ""


def page_link(event_key: str | None, lang: str) -> str:
    """The check-in page's relative link for a webinar (None: the one open now) in `lang`."""
    query = {**({"event": event_key} if event_key else {}), **({"lang": lang} if lang != "ru" else {})}
    return "/checkin" + (f"?{urlencode(query)}" if query else "")


def checkin_url(base: str, event_key: str, lang: str) -> str:
    """The check-in page's full address for a webinar, from the server's base address
    (scheme, host and port of REACH_PUBLIC_URL or of the page the presenter opened)."""
    parts = urlsplit(base)
    scheme = parts.scheme if parts.scheme in ("http", "https") else "http"
    host = parts.netloc if _HOST.match(parts.netloc) else "localhost"  # only a host and a port
    return f"{scheme}://{host}{page_link(event_key, lang)}"


def network_address() -> str | None:
    """This computer's address on its local network, or None without one. Connecting a UDP
    socket only asks the routing table which interface would be used: nothing is sent."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def checkin_base(page_url: str | None, public: str | None, network: str | None) -> str:
    """Where phones reach this server: REACH_PUBLIC_URL when set; else the address the live view
    was opened at, unless only this computer can open it; then this computer's network address
    on the same port; with no network, the page's own address (the live view warns)."""
    page_url = page_url or "http://localhost:8501"
    if public:
        return public
    if not is_local(page_url) or network is None:
        return page_url
    port = urlsplit(page_url).port
    return f"http://{network}" + (f":{port}" if port else "")


def is_local(url: str) -> bool:
    """Whether only this computer can open `url` (phones in the room cannot)."""
    host = urlsplit(url).hostname
    return bool(host) and is_loopback(host)


def qr_svg(url: str) -> str:
    """`url` as a QR code in SVG, black on white with its quiet zone, to be read from a screen."""
    return segno.make(url, error="m").svg_inline(scale=8, dark="#000", light="#fff", border=4)


def _other_language(event_key: str | None, lang: str) -> str:
    return page_link(event_key, "en" if lang == "ru" else "ru")


def form_page(lang: str, webinar: dict, session: str, countries: pd.DataFrame, roles: pd.DataFrame,
              error: str | None = None, chosen: dict | None = None, ask_code: bool = False) -> str:  # fmt: skip
    """The form: the code on the screen (`ask_code`), country (CIS states first) and role, for
    one webinar; `error` above it and the previous `chosen` values kept when it is sent back."""
    chosen = chosen or {}
    picked = chosen.get("country")
    options = [f'<option value="">{escape(t("checkin_pick", lang))}</option>']
    for is_cis, group in ((True, "checkin_cis"), (False, "checkin_other_countries")):
        rows = countries[countries["is_cis"] == is_cis]
        options.append(f'<optgroup label="{escape(t(group, lang))}">')
        options += [
            f'<option value="{escape(code)}"{_selected(code == picked, "selected")}>{escape(name)}</option>'
            for code, name in zip(rows["iso2"], rows["name"], strict=True)
        ]
        options.append("</optgroup>")
    role_inputs = [
        f'<label class="role"><input type="radio" name="role" value="{escape(code)}" required'
        f"{' checked' if code == chosen.get('role') else ''}>{escape(label)}</label>"
        for code, label in zip(roles["code"], roles[f"label_{lang}"], strict=True)
    ]
    key = webinar["event_key"]
    body = (
        f'<p class="webinar">{escape(webinar["title"])}</p><p>{escape(t("checkin_intro", lang))}</p>'
        + (f'<p class="error" role="alert">{escape(error)}</p>' if error else "")
        + f'<form method="post" action="{escape(page_link(key, lang))}">'
        f'<input type="hidden" name="session" value="{escape(session)}">'
        + (_code_input(lang, chosen.get("code")) if ask_code else "")
        + f'<label for="country">{escape(t("checkin_country", lang))}</label>'
        f'<select id="country" name="country" required>{"".join(options)}</select>'
        f"<fieldset><legend>{escape(t('checkin_role', lang))}</legend>{''.join(role_inputs)}</fieldset>"
        f'<button type="submit">{escape(t("checkin_submit", lang))}</button></form>'
    )
    return _document(lang, body, _other_language(key, lang))


def _code_input(lang: str, typed: str | None) -> str:
    return (
        f'<label for="code">{escape(t("checkin_code", lang))}</label>'
        f'<input class="code" id="code" name="code" inputmode="numeric" pattern="[0-9 ]{{4,6}}" maxlength="6" '
        f'autocomplete="off" required value="{escape((typed or "")[:6])}">'
    )


def message_page(lang: str, event_key: str | None, heading: str | None, text: str, kind: str = "info") -> str:
    """A page with one message (thanks, closed, unknown webinar, too many attempts…)."""
    css = {"done": "done", "error": "error"}.get(kind, "")
    body = (
        (f'<p class="webinar">{escape(heading)}</p>' if heading else "")
        + f'<p class="{css}" role="status">{escape(text)}</p>'
        + (
            f'<p><a href="{escape(page_link(event_key, lang))}">{escape(t("checkin_again", lang))}</a></p>'
            if kind == "error"
            else ""
        )
    )
    return _document(lang, body, _other_language(event_key, lang))
