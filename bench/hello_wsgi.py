"""WSGI entry for the HTTP benchmark only: Linli's own URLs plus one bare
hello-world Django view at /bench/hello, served by the same gunicorn and the
same middleware, so the ratio isolates what Linli's views cost. Production
URLs never include it."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

from django.conf import settings

settings.ROOT_URLCONF = "bench.hello_urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
