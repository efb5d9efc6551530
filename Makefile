# Linli: `make run` serves the demo, `make test` runs every test.
SHELL := /bin/bash
PY := .venv/bin/python
STAMP := .venv/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PORT ?= 8000
SYSTEM_PACKAGES := chromium fonts-noto-cjk poppler-utils gettext wrk nginx-light openssl systemd

.PHONY: run check-port test test-sqlite test-postgres lint bench messages makemessages system-deps venv demo

$(STAMP): requirements.txt
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	rm -f .venv/.installed-* && touch $@

venv: $(STAMP)

# Debian packages: Chromium for browser tests, CJK fonts for PDFs, poppler
# to look at PDFs, gettext to compile translations, wrk for benchmarks;
# nginx, openssl and systemd-analyze check the files in deploy/.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; fi

messages: venv
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v0

# Refresh every zh_Hans catalogue: each app that has a locale/ directory in
# its own, linli/ and api/ in the project-level locale/. (makemessages run in
# an app without locale/ would write into the project catalogue instead.)
makemessages: venv
	@for d in */locale; do app=$${d%/locale}; [ "$$app" = locale ] && continue; \
	  (cd $$app && ../$(PY) ../manage.py makemessages -l zh_Hans -v0); done
	$(PY) manage.py makemessages -l zh_Hans -v0 --ignore=.venv \
	  $$(ls -d */ | sed 's|/$$||' | grep -vxE 'linli|api|locale' | sed 's/^/--ignore=/')

demo: venv messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo

# The web server and the background worker (huey: reports, large matching
# runs) together; without the worker, queued jobs never start.
run: check-port system-deps demo
	@echo "Serving Linli on http://127.0.0.1:$(PORT) with its background worker (Ctrl-C stops both)"
	DEBUG=1 $(PY) manage.py run_huey --quiet & HUEY=$$!; \
	trap "kill $$HUEY 2>/dev/null" EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

check-port:
	@[[ "$(PORT)" =~ ^[0-9]+$$ ]] && (( $(PORT) >= 1 && $(PORT) <= 65535 )) || \
	  { echo "PORT must be a number from 1 to 65535, e.g. make run PORT=8080"; exit 2; }

lint: venv
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy .

test: system-deps messages lint test-sqlite test-postgres

test-sqlite: venv messages
	@echo "== tests on SQLite"
	LINLI_ENV=test .venv/bin/pytest -n 2 -q -p no:logging

# PostgreSQL runs when reachable (start it if the machine has it but it is
# down); a failure there fails `make test`.
test-postgres: venv messages
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null; then \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start 2>/dev/null; sleep 2; fi; \
	if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  echo "== tests on PostgreSQL ($(PG_URL))"; \
	  LINLI_ENV=test DATABASE_URL=$(PG_URL) .venv/bin/pytest -n 2 -q -p no:logging; \
	else echo "== PostgreSQL not reachable: ran on SQLite only"; fi

bench: system-deps messages
	$(PY) -m bench.run
