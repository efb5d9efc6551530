"""Every API operation, fed generated valid and invalid requests (fixed seed,
bounded) by a real server over the demo district: no answer is a 5xx and every
documented answer matches the published schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests import liveserver

# Cases per operation and phase; about a minute on two cores.
MAX_EXAMPLES = 10
SEED = 20261201


@liveserver.once_per_run
def test_it_survives_generated_requests_to_every_operation(tmp_path: Path) -> None:
    env = liveserver.environment(tmp_path, LINLI_ENV="test")
    liveserver.demo_district(env)
    token = liveserver.api_token(env, "admin")
    with liveserver.running(env, workers=2) as server:
        run = subprocess.run(
            [
                *(sys.executable, "-m", "schemathesis.cli", "run", f"{server.url}/api/openapi.json"),
                *("--header", f"Authorization: Bearer {token}", "--seed", str(SEED)),
                *("--max-examples", str(MAX_EXAMPLES), "--workers", "1", "--phases", "examples,coverage,fuzzing"),
                *("--checks", "not_a_server_error,response_schema_conformance,content_type_conformance"),
                *("--generation-database", "none", "--request-timeout", "60", "--no-color"),
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
        )
        summary = run.stdout[run.stdout.find("SUMMARY") :]
        assert "Selected: " in summary and "Tested: " in summary, run.stdout + run.stderr
        assert run.returncode == 0, run.stdout
