"""`make bench`: run every bench/bench_*.py and write docs/benchmarks.md.

Each module defines ``run() -> str`` returning a Markdown section (a
``## Title`` heading, the machine-independent setup, and a table of figures
with the goal beside each). Its section is saved as docs/benchmarks/<name>.md
and docs/benchmarks.md is rebuilt from all saved sections, so one benchmark
can be re-run alone: ``python -m bench.run bench_matching``.
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ROOT / "docs" / "benchmarks"
SUMMARY = ROOT / "docs" / "benchmarks.md"


def _modules(selected: list[str]) -> list[str]:
    names = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    return [n for n in names if not selected or n in selected]


def rebuild_summary() -> None:
    parts = [
        "# Benchmarks\n",
        "Written by `make bench` (bench/run.py); each section by its bench/bench_*.py module.\n",
    ]
    for section in sorted(SECTIONS.glob("*.md")):
        parts.append(section.read_text(encoding="utf-8").rstrip() + "\n")
    SUMMARY.write_text("\n".join(parts), encoding="utf-8")


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    sys.path.insert(0, str(ROOT))
    SECTIONS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    for name in _modules(argv):
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        text = module.run()
        (SECTIONS / f"{name}.md").write_text(f"{text.rstrip()}\n\n_Run {stamp} on {machine}._\n", encoding="utf-8")
        print(text, flush=True)
    rebuild_summary()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
