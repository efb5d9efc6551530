"""What the portal's home page offers: each app registers its entries (the
residents' ones in portal/contrib.py, volunteers' and donors' in
participation/contrib.py), so the home page knows no app."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

Label = str | Promise


@dataclass(frozen=True)
class Entry:
    key: str
    label: Label
    url_name: str
    order: int
    icon: str = ""  # a short symbol or emoji drawn before the label


_entries: dict[str, Entry] = {}


def register_entry(key: str, *, label: Label, url_name: str, order: int, icon: str = "") -> None:
    """An entry of the portal's home page; registering a key again replaces it."""
    _entries[key] = Entry(key, label, url_name, order, icon)


def entries() -> list[Entry]:
    return sorted(_entries.values(), key=lambda e: (e.order, e.key))
