"""The deployment files in deploy/ are checked by the tools that will read
them: nginx -t, gunicorn --check-config, systemd-analyze verify. The cluster
test (tests/test_cluster.py) serves with deploy/gunicorn.conf.py itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "fullchain.pem", tmp / "privkey.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=linli.test",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_it_passes_nginx_t(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    site = (DEPLOY / "nginx-linli.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/linli/tls/fullchain.pem", str(cert)).replace("/etc/linli/tls/privkey.pem", str(key))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "linli.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log {tmp_path}/access.log;\n  include {tmp_path}/linli.conf;\n}}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr and "test is successful" in done.stderr


def test_it_loads_the_gunicorn_configuration() -> None:
    done = subprocess.run(
        [str(VENV_BIN / "gunicorn"), "--check-config", "-c", str(DEPLOY / "gunicorn.conf.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr + done.stdout


def test_it_keeps_query_strings_out_of_the_access_logs() -> None:
    gunicorn = (DEPLOY / "gunicorn.conf.py").read_text(encoding="utf-8")
    assert "%(U)s" in gunicorn and "%(r)s" not in gunicorn and "%(q)s" not in gunicorn
    nginx = (DEPLOY / "nginx-linli.conf").read_text(encoding="utf-8")
    assert "$uri" in nginx and "$request " not in nginx and "$args" not in nginx


@pytest.mark.parametrize("unit", ["linli-web.service", "linli-worker.service"])
def test_it_passes_systemd_analyze_verify(unit: str, tmp_path: Path) -> None:
    # The units name the installed paths (/opt/linli, /etc/linli); verify them
    # against this checkout, which has the same layout.
    env_file = tmp_path / "linli.env"
    env_file.write_text("LINLI_ENV=production\n", encoding="utf-8")
    text = (DEPLOY / unit).read_text(encoding="utf-8")
    text = text.replace("/opt/linli/.venv/bin/", f"{VENV_BIN}/").replace("/opt/linli", str(ROOT))
    text = text.replace("/etc/linli/linli.env", str(env_file)).replace("User=linli", "User=root")
    text = text.replace("Group=linli", "Group=root")
    (tmp_path / unit).write_text(text, encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", str(tmp_path / unit)], capture_output=True, text=True)
    problems = [line for line in (done.stdout + done.stderr).splitlines() if unit in line or "error" in line.lower()]
    assert done.returncode == 0 and not problems, done.stdout + done.stderr
