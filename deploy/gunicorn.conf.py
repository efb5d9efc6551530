"""gunicorn settings for Linli's web processes (docs/deploy.md). The cluster
test (tests/test_cluster.py) serves with this file, so what is deployed is
what is tested. Every value can be overridden from the environment."""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "linli.wsgi:application"
bind = os.environ.get("LINLI_BIND", "127.0.0.1:8000")
# Sync workers: Linli's requests are short and database-bound; reports,
# imports of many rows and large matching runs go to the huey worker.
workers = int(os.environ.get("LINLI_WEB_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
worker_class = "sync"
# The heaviest request answered in the web process (a district's monthly
# figures, an import preview of a few thousand rows) stays well under this;
# nginx's proxy_read_timeout (deploy/nginx-linli.conf) is set just above it.
timeout = int(os.environ.get("LINLI_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never takes a station down.
max_requests = 2000
max_requests_jitter = 200
# nginx on the same host sets X-Forwarded-Proto; trust it from there only.
forwarded_allow_ips = os.environ.get("LINLI_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The access log records the path without its query string (%(U)s), so a
# search term never lands in a log.
accesslog = os.environ.get("LINLI_ACCESS_LOG", "-")
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LINLI_LOG_LEVEL", "info")
