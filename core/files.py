"""Where files live: the configured default storage (`STORAGES` in settings),
the local disk under MEDIA_ROOT by default and an S3-compatible bucket when
`LINLI_S3_BUCKET` is set (docs/deploy.md). Uploads, pending imports and
generated reports are read and written only through `default_storage`, so an
app server or worker on another host finds what this one wrote."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT (outside the web root) that have no URL: views
    stream them after the scope check. Django re-reads MEDIA_ROOT when a test
    overrides it."""

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL")
