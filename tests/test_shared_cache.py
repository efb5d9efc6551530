"""Without Redis the default cache is shared by every process of a host
(files in DATA_DIR): a user's own change, which refreshes their cached
figures, shows on the next page whichever gunicorn worker serves it."""

from __future__ import annotations

from pathlib import Path

from tests import liveserver


def test_it_shares_one_cache_between_two_processes(tmp_path: Path) -> None:
    env = liveserver.environment(tmp_path)
    script = "from django.core.cache import cache; import sys; "
    liveserver.manage(env, "shell", "-c", script + "cache.set('figures:7', {'visits': 3}, 60)")
    seen = liveserver.manage(env, "shell", "-c", script + "print(repr(cache.get('figures:7')))")
    assert seen.strip().splitlines()[-1] == "{'visits': 3}"
    liveserver.manage(env, "shell", "-c", script + "cache.delete('figures:7')")
    gone = liveserver.manage(env, "shell", "-c", script + "print(repr(cache.get('figures:7')))")
    assert gone.strip().splitlines()[-1] == "None"
