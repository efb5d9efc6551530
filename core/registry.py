"""What each area contributes to the shared places: the home page's figures
and to-do items, the reminder rules, the left menu and the demo district's seeds.

The kernel only holds the lists. Each area fills them from its own
`<area>/contrib.py`, which the home layer imports once at start-up
(`home/apps.py`: `autodiscover_modules("contrib")`), so adding an area means
adding its contrib module and touches no kernel file. Every entry carries an
`order` (small numbers first; areas leave gaps so a newcomer fits between) and
a key, so importing a contrib module twice replaces its entries instead of
doubling them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.utils.functional import Promise

from core.access import Perm

Label = str | Promise


# ---------------------------------------------------------------- home figures


class HomeCounter(NamedTuple):
    label: Label
    count: Callable[[Any], int]  # the user → a figure counted in their scope (through selectors)
    url_name: str = ""  # the list the figure counts, filtered by `query` ("status=open")
    query: str = ""
    perm: Perm = Perm.VIEW  # who may follow the link


_counters: dict[str, tuple[int, HomeCounter]] = {}
# The figures in order; the home page reads this list (home/counters.py).
HOME_COUNTERS: list[HomeCounter] = []


def home_counter(
    label: Label,
    count: Callable[[Any], int],
    *,
    order: int,
    url_name: str = "",
    query: str = "",
    perm: Perm = Perm.VIEW,
) -> None:
    """A figure on every user's home page, linking to the list it counts
    (`url_name` with the filter `query`). It runs on each uncached view, so it
    must stay a few queries whatever the data."""
    counter = HomeCounter(label, count, url_name, query, perm)
    _counters[f"{count.__module__}.{count.__qualname__}"] = (order, counter)
    HOME_COUNTERS[:] = [c for _o, c in sorted(_counters.values(), key=lambda oc: oc[0])]


# ---------------------------------------------------------------- to-do inbox


class TodoItem(NamedTuple):
    key: str
    label: Label
    # (readers, core.todo.TodoContext) → {reader id: [TodoEntry, …]}: ONE
    # grouped query for all readers, whatever their number (home/inbox.py).
    collect: Callable[[Any, Any], dict[int, list[Any]]]


_todos: dict[str, tuple[int, TodoItem]] = {}
# The kinds of to-do in order; the home page's inbox reads this list (home/inbox.py).
TODO_ITEMS: list[TodoItem] = []


def todo_item(key: str, label: Label, collect: Callable[[Any, Any], dict[int, list[Any]]], *, order: int) -> None:
    """A kind of thing someone must do now, on top of their home page and in
    their daily digest. `collect` answers for many readers at once with one
    grouped query (core/todo.py has the helpers that share counts out)."""
    _todos[key] = (order, TodoItem(key, label, collect))
    TODO_ITEMS[:] = [t for _o, t in sorted(_todos.values(), key=lambda ot: ot[0])]


# ---------------------------------------------------------------- reminders


_reminders: dict[str, tuple[int, str]] = {}


def reminder_rule(key: str, run: str, *, order: int) -> None:
    """A rule of the reminder scheduler (`manage.py send_reminders`): the
    dotted path of `run(*, now) -> int`, which tells people through
    notifications.api.notify (each once) and returns how many it told."""
    _reminders[key] = (order, run)


def reminder_rules() -> list[tuple[str, str]]:
    return [(key, run) for key, (_o, run) in sorted(_reminders.items(), key=lambda kv: (kv[1][0], kv[0]))]


# ---------------------------------------------------------------- menu


@dataclass(frozen=True)
class MenuItem:
    label: Label
    url_name: str
    perm: Perm = Perm.VIEW  # shown only to roles whose permissions include it


@dataclass(frozen=True)
class MenuSection:
    label: Label
    items: tuple[MenuItem, ...]


_sections: dict[str, tuple[int, Label]] = {}
_items: dict[str, tuple[str, int, MenuItem]] = {}


def menu_section(key: str, label: Label, *, order: int) -> None:
    """A heading of the left menu that areas add items to by `key`."""
    _sections[key] = (order, label)


def menu_item(section: str, label: Label, url_name: str, *, order: int, perm: Perm = Perm.VIEW) -> None:
    _items[url_name] = (section, order, MenuItem(label, url_name, perm))


def menu() -> tuple[MenuSection, ...]:
    """The whole menu in order. An item under a heading nobody declared is a
    mistake in a contrib module and fails loudly rather than vanishing."""
    unknown = {section for section, _o, _i in _items.values()} - set(_sections)
    if unknown:
        raise LookupError(f"menu items under undeclared sections: {sorted(unknown)}")
    out = []
    for key, (_order, label) in sorted(_sections.items(), key=lambda kv: kv[1][0]):
        items = sorted((o, i.url_name, i) for s, o, i in _items.values() if s == key)
        if items:
            out.append(MenuSection(label, tuple(i for _o, _n, i in items)))
    return tuple(out)


# ---------------------------------------------------------------- demo seeds


class DemoSeed(NamedTuple):
    name: str
    seed: str  # dotted path of `seed(ctx: core.demo.DemoContext)`, imported only when the demo loads
    order: int


_seeds: dict[str, DemoSeed] = {}


def demo_seed(name: str, seed: str, *, order: int) -> None:
    """An area's part of `manage.py load_demo`; `order` puts it after the
    seeds whose rows it reads."""
    _seeds[name] = DemoSeed(name, seed, order)


def demo_seeds() -> list[DemoSeed]:
    return sorted(_seeds.values(), key=lambda s: (s.order, s.name))
