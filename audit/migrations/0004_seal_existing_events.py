"""Put the events written before the hash chain existed into it, oldest
first, and start the chain head at the newest. The chain proves the log
unchanged from this migration on; it cannot vouch for what happened before."""

from django.db import migrations

from audit.chain import GENESIS, HEAD_PK, event_values, link

_TRIGGER = "audit_append_only"


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:  # the row trigger refuses every UPDATE; migrations run as the table owner
        schema_editor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {_TRIGGER}")
    previous, seq = GENESIS, 0
    for event in AuditEvent.objects.filter(seq__isnull=True).order_by("id").iterator(chunk_size=2000):
        seq += 1
        event.seq = seq
        previous = link(previous, event_values(event))
        AuditEvent.objects.filter(pk=event.pk).update(seq=seq, chain_hash=previous)
    if postgres:
        schema_editor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {_TRIGGER}")
    AuditChainHead.objects.update_or_create(pk=HEAD_PK, defaults={"seq": seq, "chain_hash": previous})


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
