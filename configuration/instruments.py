"""The assessment-instrument editor: the page's rows (dimensions → items →
options, and the levels' score bands) as typed, the buttons that add,
remove and move rows, and the rules a version must keep before it is
published (grading.services.instrument_version_publish checks them again).

The page posts every row each time, named by its place
(`d-0-i-1-o-2-score`), so a refused save or an added row shows the page
again with everything typed; nothing is kept in the browser."""

from __future__ import annotations

import itertools
import re
from typing import Any

from django.utils.translation import gettext as _

State = dict[str, Any]  # {"dimensions": [...], "levels": [...]} with every value a string as typed
Errors = dict[str, str]  # {input name: message}

CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_NAME = re.compile(r"^d-(\d+)(?:-i-(\d+)(?:-o-(\d+))?)?-(code|name|text|label|score)$|^l-(\d+)-(level|name|min|max)$")


def state_of(schema: dict[str, Any] | None) -> State:
    """A published schema as the editor's rows."""
    schema = schema or {}
    return {
        "dimensions": [
            {
                "code": str(d.get("code", "")),
                "name": str(d.get("name", "")),
                "items": [
                    {
                        "code": str(i.get("code", "")),
                        "text": str(i.get("text", "")),
                        "options": [
                            {"label": str(o.get("label", "")), "score": str(o.get("score", ""))}
                            for o in i.get("options", [])
                        ],
                    }
                    for i in d.get("items", [])
                ],
            }
            for d in schema.get("dimensions", [])
        ],
        "levels": [{k: str(b.get(k, "")) for k in ("level", "name", "min", "max")} for b in schema.get("levels", [])],
    }


def blank_option() -> dict[str, str]:
    return {"label": "", "score": ""}


def blank_item() -> dict[str, Any]:
    return {"code": "", "text": "", "options": [blank_option(), blank_option()]}


def blank_dimension() -> dict[str, Any]:
    return {"code": "", "name": "", "items": [blank_item()]}


def blank_level() -> dict[str, str]:
    return {"level": "", "name": "", "min": "", "max": ""}


def state_from_post(data: Any) -> State:
    """The rows as posted, in the order of their numbers (gaps closed)."""
    dims: dict[int, dict[str, Any]] = {}
    levels: dict[int, dict[str, str]] = {}
    for key in data:
        m = _NAME.match(key)
        if not m:
            continue
        value = str(data.get(key, "")).strip()
        d, i, o, part, lv, lpart = m.groups()
        if lv is not None:
            levels.setdefault(int(lv), blank_level())[lpart] = value
            continue
        dim = dims.setdefault(int(d), {"code": "", "name": "", "items": {}})
        if i is None:
            dim[part] = value
            continue
        item = dim["items"].setdefault(int(i), {"code": "", "text": "", "options": {}})
        if o is None:
            item[part] = value
        else:
            item["options"].setdefault(int(o), blank_option())[part] = value
    return {
        "dimensions": [
            {
                "code": dim["code"],
                "name": dim["name"],
                "items": [
                    {
                        "code": item["code"],
                        "text": item["text"],
                        "options": [item["options"][k] for k in sorted(item["options"])],
                    }
                    for _k, item in sorted(dim["items"].items())
                ],
            }
            for _k, dim in sorted(dims.items())
        ],
        "levels": [levels[k] for k in sorted(levels)],
    }


def _move(rows: list[Any], index: int, op: str) -> None:
    if op == "add":
        return
    if not 0 <= index < len(rows):
        return
    if op == "del":
        del rows[index]
    elif op == "up" and index > 0:
        rows[index - 1], rows[index] = rows[index], rows[index - 1]


def apply(state: State, op: str) -> State:
    """One button's change: `add-dim`, `del-dim-0`, `up-item-0-1`,
    `add-opt-0-1`, `del-level-2` … An unknown or stale button changes nothing."""
    parts = op.split("-")
    verb, what, places = parts[0], parts[1] if len(parts) > 1 else "", parts[2:]
    try:
        at = [int(p) for p in places]
    except ValueError:
        return state
    try:
        if what == "dim":
            rows, new, index = state["dimensions"], blank_dimension, at[0] if at else -1
        elif what == "item":
            rows, new, index = state["dimensions"][at[0]]["items"], blank_item, at[1] if len(at) > 1 else -1
        elif what == "opt":
            rows = state["dimensions"][at[0]]["items"][at[1]]["options"]
            new, index = blank_option, at[2] if len(at) > 2 else -1
        elif what == "level":
            rows, new, index = state["levels"], blank_level, at[0] if at else -1
        else:
            return state
    except (IndexError, KeyError):
        return state
    if verb == "add":
        rows.append(new())
    elif verb in ("del", "up"):
        _move(rows, index, verb)
    return state


def _int(text: str) -> int | None:
    try:
        return int(text.strip())
    except (ValueError, AttributeError):
        return None


def check(state: State) -> tuple[dict[str, Any] | None, Errors, list[str]]:
    """(the schema to publish or None, errors by input name, errors of the
    whole instrument). Every message says which row and what to do."""
    errors: Errors = {}
    general: list[str] = []
    dims = state["dimensions"]
    if not dims:
        general.append(_("Give the instrument at least one dimension."))
    dim_codes: set[str] = set()
    item_codes: set[str] = set()
    schema_dims = []
    low = top = 0
    for d, dim in enumerate(dims):
        prefix = f"d-{d}"
        if not CODE.match(dim["code"]):
            errors[f"{prefix}-code"] = _("A code: Latin letters, digits, - and _, starting with a letter.")
        elif dim["code"] in dim_codes:
            errors[f"{prefix}-code"] = _("Dimension code %(code)s is used twice.") % {"code": dim["code"]}
        dim_codes.add(dim["code"])
        if not dim["name"]:
            errors[f"{prefix}-name"] = _("Give the dimension a name.")
        if not dim["items"]:
            errors[f"{prefix}-name"] = _("Dimension %(n)s has no items: add one or remove the dimension.") % {
                "n": d + 1
            }
        items = []
        for i, item in enumerate(dim["items"]):
            ip = f"{prefix}-i-{i}"
            if not CODE.match(item["code"]):
                errors[f"{ip}-code"] = _("A code: Latin letters, digits, - and _, starting with a letter.")
            elif item["code"] in item_codes:
                errors[f"{ip}-code"] = _("Item code %(code)s is used twice.") % {"code": item["code"]}
            item_codes.add(item["code"])
            if not item["text"]:
                errors[f"{ip}-text"] = _("Write the question or what is observed.")
            if len(item["options"]) < 2:
                errors[f"{ip}-text"] = _("An item needs at least two options to choose from.")
            options = []
            for o, option in enumerate(item["options"]):
                op = f"{ip}-o-{o}"
                if not option["label"]:
                    errors[f"{op}-label"] = _("Give the option a label.")
                score = _int(option["score"])
                if score is None:
                    errors[f"{op}-score"] = _("A score is a whole number, e.g. 0, 5 or 10.")
                options.append({"label": option["label"], "score": score})
            scores = [o["score"] for o in options if o["score"] is not None]
            if scores:
                low, top = low + min(scores), top + max(scores)
            items.append({"code": item["code"], "text": item["text"], "options": options})
        schema_dims.append({"code": dim["code"], "name": dim["name"], "items": items})
    levels = []
    if not state["levels"]:
        general.append(_("Give at least one level: the score bands that name the result."))
    level_numbers: set[int] = set()
    for n, band in enumerate(state["levels"]):
        lp = f"l-{n}"
        number, low_score, high_score = _int(band["level"]), _int(band["min"]), _int(band["max"])
        if number is None:
            errors[f"{lp}-level"] = _("A level is a whole number, e.g. 0 or 1.")
        elif number in level_numbers:
            errors[f"{lp}-level"] = _("Level %(n)s is given twice.") % {"n": number}
        else:
            level_numbers.add(number)
        if not band["name"]:
            errors[f"{lp}-name"] = _("Give the level a name.")
        if low_score is None:
            errors[f"{lp}-min"] = _("A score is a whole number, e.g. 0, 5 or 10.")
        if high_score is None:
            errors[f"{lp}-max"] = _("A score is a whole number, e.g. 0, 5 or 10.")
        if low_score is not None and high_score is not None and low_score > high_score:
            errors[f"{lp}-max"] = _("The highest score of a band cannot be below its lowest.")
        levels.append({"level": number, "name": band["name"], "min": low_score, "max": high_score})
    if errors or general:
        return None, errors, general
    general += _band_problems(levels, low, top)
    if general:
        return None, errors, general
    return {"dimensions": schema_dims, "levels": levels}, errors, general


def _band_problems(levels: list[dict[str, Any]], low: int, top: int) -> list[str]:
    """Bands must not overlap and must cover every total from the lowest to the highest possible."""
    problems = []
    bands = sorted(levels, key=lambda b: b["min"])
    for before, after in itertools.pairwise(bands):
        if after["min"] <= before["max"]:
            problems.append(
                _("Levels “%(a)s” and “%(b)s” overlap at %(score)s points.")
                % {"a": before["name"], "b": after["name"], "score": after["min"]}
            )
        elif after["min"] > before["max"] + 1:
            problems.append(
                _("Totals %(low)s–%(high)s fall in no level.") % {"low": before["max"] + 1, "high": after["min"] - 1}
            )
    if bands and bands[0]["min"] > low:
        problems.append(_("Totals %(low)s–%(high)s fall in no level.") % {"low": low, "high": bands[0]["min"] - 1})
    if bands and bands[-1]["max"] < top:
        problems.append(_("Totals %(low)s–%(high)s fall in no level.") % {"low": bands[-1]["max"] + 1, "high": top})
    return problems
