"""The search keys of a resident: the one place that computes them.

Every path that writes a resident's name or phones (the services, the roster
import, the synthetic district, the demo, anonymising) fills the keys through
`person_search_keys` / `fill_search_keys`, so that a search is an index range
and never a scan (people/selectors.py `search_persons`):

- `name_pinyin` (张三 → "zhangsan") and `name_initials` (→ "zs"): lower case,
  no tones, no spaces. A pinyin or initials search is a prefix of one of them.
- `phone_tail`, `phone2_tail`: the phone's digits in reverse order
  ("13800001111" → "11110000831"), so that the tail a user types ("1111", or a
  whole number) is a *prefix* of the key, an index range; a suffix of the
  phone itself is not.
- `name_suffix1`, `name_suffix2`, `name_suffix3`: the name without its first
  one, two and three characters (张三丰 → "三丰", "丰", ""). A term found
  anywhere in a name starts the name or one of its first two suffixes (a
  prefix, an index range, also for the one- and two-character terms a trigram
  index cannot serve), or lies in the third, which only names of four or more
  characters have (a partial index of those few).
- The resident ID's tail is `id_tail`, set with the ID by
  `core.identity.store_id`: the last four characters, the same four every
  masked display shows (3505**********1234), so keeping them in clear reveals
  nothing a list does not; the whole ID is only ever matched by its keyed hash.
"""

from __future__ import annotations

from typing import Any

from core.identity import pinyin_of

# The columns this module fills (for bulk_update and update_fields).
SEARCH_KEY_FIELDS = (
    "name_pinyin",
    "name_initials",
    "phone_tail",
    "phone2_tail",
    "name_suffix1",
    "name_suffix2",
    "name_suffix3",
)


def phone_key(phone: str | None) -> str:
    """The digits of a phone (or of a typed tail), last first."""
    return "".join(c for c in (phone or "") if c.isdigit())[::-1]


def person_search_keys(*, name: str, phone: str = "", phone2: str = "") -> dict[str, str]:
    """The search key columns of a resident with this (normalised) name and phones."""
    full, initials = pinyin_of(name)
    return {
        "name_pinyin": full,
        "name_initials": initials,
        "phone_tail": phone_key(phone),
        "phone2_tail": phone_key(phone2),
        **name_suffixes(name),
    }


def name_suffixes(name: str) -> dict[str, str]:
    return {f"name_suffix{i}": name[i:] for i in (1, 2, 3)}


def fill_search_keys(person: Any) -> None:
    """Set the key columns of an unsaved or changed Person from its name and phones."""
    for field, value in person_search_keys(name=person.name, phone=person.phone, phone2=person.phone2).items():
        setattr(person, field, value)
