"""Re-encrypt every stored resident ID with the newest key of FIELD_ENCRYPTION_KEYS.

Put the new key first in LINLI_FIELD_KEYS (keep the old ones after it), run
this command, then the old keys may be removed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from core.identity import rotate


class Command(BaseCommand):
    help = "Re-encrypt resident IDs (people and volunteers) with the newest field key."

    def handle(self, *args: Any, **options: Any) -> None:
        from people.models import Person
        from volunteers.models import Volunteer

        for model in (Person, Volunteer):
            done = 0
            with transaction.atomic():
                rows = model.objects.exclude(id_cipher="").only("pk", "id_cipher")
                batch: list[Any] = []  # of `model`, Person or Volunteer
                for obj in rows.iterator(chunk_size=2000):
                    obj.id_cipher = rotate(obj.id_cipher)
                    batch.append(obj)
                    if len(batch) >= 2000:
                        model.objects.bulk_update(batch, ["id_cipher"])
                        done += len(batch)
                        batch = []
                model.objects.bulk_update(batch, ["id_cipher"])
                done += len(batch)
            self.stdout.write(f"{model._meta.label}: {done} re-encrypted")
