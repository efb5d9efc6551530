"""An S3-compatible server for tests: moto in server mode, in its own
process on a free port, with one bucket; `storages()` is the STORAGES
setting that points Linli's file storage at it (as LINLI_S3_* would)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import requests

from tests.liveserver import free_port

KEY, SECRET, REGION = "test-key", "test-secret", "us-east-1"


@dataclass
class S3:
    endpoint: str
    bucket: str

    def client(self) -> Any:
        return boto3.client(
            "s3", endpoint_url=self.endpoint, aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name=REGION
        )

    def names(self, prefix: str = "") -> list[str]:
        listed = self.client().list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def environment(self) -> dict[str, str]:
        return {
            "LINLI_S3_BUCKET": self.bucket,
            "LINLI_S3_ENDPOINT_URL": self.endpoint,
            "LINLI_S3_REGION": REGION,
            "LINLI_S3_ACCESS_KEY": KEY,
            "LINLI_S3_SECRET_KEY": SECRET,
        }

    def storages(self) -> dict[str, Any]:
        options = {
            "bucket_name": self.bucket,
            "endpoint_url": self.endpoint,
            "region_name": REGION,
            "access_key": KEY,
            "secret_key": SECRET,
            "addressing_style": "path",
            "default_acl": "private",
        }
        return {
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }


@contextmanager
def s3_server(bucket: str = "linli") -> Iterator[S3]:
    port = free_port()
    moto = Path(sys.executable).parent / "moto_server"
    process = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "moto_server stopped"
            try:
                requests.get(endpoint, timeout=5)
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, "moto_server did not start"
                time.sleep(0.2)
        s3 = S3(endpoint=endpoint, bucket=bucket)
        s3.client().create_bucket(Bucket=bucket)
        yield s3
    finally:
        process.terminate()
        process.wait(timeout=30)
