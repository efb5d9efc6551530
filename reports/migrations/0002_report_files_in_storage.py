"""Report files move into the file storage (core/files.py): a job used to
keep the absolute path of its file on the host that built it; it now keeps
the file's name in the storage, relative to MEDIA_ROOT on local disk."""

from pathlib import Path

from django.conf import settings
from django.db import migrations


def to_storage_names(apps, schema_editor):
    ReportJob = apps.get_model("reports", "ReportJob")
    media = Path(settings.MEDIA_ROOT).resolve()
    for job in ReportJob.objects.exclude(file="").only("pk", "file"):
        path = Path(job.file)
        if not path.is_absolute():
            continue
        try:
            name = path.resolve().relative_to(media).as_posix()
        except ValueError:  # built outside MEDIA_ROOT: no longer downloadable, can be requested again
            name = ""
        ReportJob.objects.filter(pk=job.pk).update(file=name)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(to_storage_names, migrations.RunPython.noop)]
