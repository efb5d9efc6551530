"""E-mail through Django's mail backends (EMAIL_BACKEND: SMTP in production,
the console in development, in memory in tests). A report goes as the file."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, get_connection

from messaging.backends import Outgoing


def send(message: Outgoing) -> None:
    text = message.text if message.link in message.text else f"{message.text}\n\n{message.link}".strip()
    mail = EmailMessage(subject=message.subject, body=text, to=[message.address])
    if message.attachment:
        with default_storage.open(message.attachment, "rb") as handle:
            mail.attach(PurePosixPath(message.attachment).name, handle.read())
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    mail.connection = connection
    mail.send(fail_silently=False)
