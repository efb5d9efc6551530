"""The app shell the service worker keeps: its static files, the worker's
source with their URLs and a version drawn from their contents, and the web
app manifest. A deploy that changes any of the files changes the worker's
bytes, so phones pick up the new shell on their next visit online."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Every static file a page of the shell loads (base.html's and the shell's
# own, and grading's visit widgets), kept by the worker at install.
SHELL_STATIC = (
    "linli/app.css",
    "linli/favicon.svg",
    "vendor/htmx/htmx.min.js",
    "linli/app.js",
    "core/css/session.css",
    "core/js/session.js",
    "notifications/bell.css",
    "fieldwork/store.js",
    "fieldwork/field.js",
    "fieldwork/field.css",
    "fieldwork/icons/icon-192.png",
    "grading/grading.css",
    "grading/photo.js",
    "grading/signature.js",
    "grading/checkin.js",
)
ICONS = (("fieldwork/icons/icon-192.png", "192x192"), ("fieldwork/icons/icon-512.png", "512x512"))
CACHE_PREFIX = "linli-shell-"


def shell_static() -> list[str]:
    """The shell's files that exist in this deployment (an area's widget may not)."""
    return [path for path in SHELL_STATIC if finders.find(path)]


@lru_cache(maxsize=1)
def _version() -> str:
    digest = hashlib.sha256()
    for path in shell_static():
        found = finders.find(path)
        with open(str(found), "rb") as f:
            digest.update(path.encode() + b"\0" + f.read())
    return digest.hexdigest()[:12]


def worker_source() -> str:
    config = {
        "cache": CACHE_PREFIX + _version(),
        "prefix": CACHE_PREFIX,
        "shell": reverse("fieldwork:app"),
        "data": reverse("fieldwork:data"),
        "assets": [static(path) for path in shell_static()],
    }
    return render_to_string("fieldwork/sw.js", {"config": json.dumps(config)})


def manifest() -> dict[str, Any]:
    return {
        "name": _("Linli community social work"),
        "short_name": _("Linli"),
        "description": _("My follow-ups and home visits, also without a connection."),
        "lang": get_language() or "zh-hans",
        "start_url": reverse("fieldwork:app"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#c2410c",
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": "any maskable"}
            for path, sizes in ICONS
        ],
    }
