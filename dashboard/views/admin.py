"""Access and audit (admins): the accounts and who did what, when."""

import pandas as pd
import streamlit as st

from dashboard import accounts, ui
from dashboard.i18n import t
from dashboard.spreadsheet_safety import formula_safe

lang = ui.language()
st.query_params.from_dict({"lang": lang} if lang != "ru" else {})
st.title(t("admin", lang))
con = ui.database_owner().cursor()
st.subheader(t("admin_accounts", lang))
people = pd.DataFrame(accounts.list_accounts(con), columns=["login", "role", "created_at", "tokens", "email"])
people["role"] = [t(f"role_{role}", lang) for role in people["role"]]
st.dataframe(formula_safe(people.rename(columns={c: t(f"col_admin_{c}", lang) for c in people.columns})),
             hide_index=True)  # fmt: skip
st.caption(t("admin_accounts_help", lang))
st.subheader(t("admin_audit", lang))
entries = pd.DataFrame(accounts.audit_entries(con), columns=["happened_at", "actor", "action", "detail", "address"])
entries = entries.iloc[::-1].rename(columns={c: t(f"col_admin_{c}", lang) for c in entries.columns})
st.dataframe(formula_safe(entries), hide_index=True, width="stretch")
con.close()
