"""Importing platform exports and registration sheets: parsers turn a file into canonical rows
(`parsing`), normalisers map countries and roles (`countries`, `roles`), the loader writes one
file as one transaction (`loader`)."""
