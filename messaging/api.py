"""The one way a message leaves Linli: `message_send()`.

Callers (notifications, scheduled reports, later the portal) name a channel,
a recipient, a registered template and its parameters. What goes out is the
template's words with those parameters after masking: a person's name as
`张*`, a link back into Linli, a date or a count. An ID number or a mobile
number that slipped into a parameter is masked before anything is stored or
sent, so a message body that leaves the system never carries one.

    from messaging.api import Recipient, message_send, message_template

    message_template(
        "plan_submitted",
        subject=_("A service plan awaits your approval"),
        body=_("{name}'s service plan awaits your approval."),
        params=("name",),
    )
    message_send(
        channel="email",
        to=Recipient(user=lead),
        template="plan_submitted",
        params={"name": person.name},  # masked here
        event="plan_submitted",
        dedupe_key=f"plan_submitted:{plan.pk}:{lead.pk}",
        link=reverse("casework:plan_detail", args=[plan.pk]),
    )

Each send is one `Delivery` row, unique per (channel, dedupe_key): sending
the same key again returns the first row and sends nothing. The row is
queued and the background worker sends it (messaging/tasks.py), retrying
with exponential backoff; after `MESSAGING_MAX_ATTEMPTS` it is failed and the
district administrator sees it on the failed-deliveries page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.functional import Promise

from core.identity import encrypt, mask_id, mask_phone
from messaging.models import Channel, Delivery, Status

if TYPE_CHECKING:
    from accounts.models import User
    from orgs.models import OrgUnit

Label = str | Promise

CHANNELS: tuple[str, ...] = tuple(Channel.values)  # "email", "sms", "wecom", "webpush"


# ---------------------------------------------------------------- recipients


@dataclass(frozen=True)
class Recipient:
    """Who a message goes to.

    - `user`: a staff account (e-mail: its address; SMS: its phone; browser
      push: its subscriptions; WeCom: its station's group robot);
    - `address`: an e-mail address or mobile number given outright (a
      report's contact at the street office), used instead of the user's;
    - `unit`: for WeCom, the unit whose station's group robot posts; with
      an `address`, the unit it is sent for (whose administrators see the
      delivery).
    """

    user: User | None = None
    address: str = ""
    unit: OrgUnit | None = None


# ---------------------------------------------------------------- templates


@dataclass(frozen=True)
class MessageTemplate:
    key: str
    subject: Label  # may hold {placeholders} of `params`
    body: Label
    params: tuple[str, ...]  # the placeholders it takes (besides {link})


_templates: dict[str, MessageTemplate] = {}


def message_template(key: str, *, subject: Label, body: Label, params: tuple[str, ...] = ()) -> None:
    """Declare a template. Its words are fixed text with placeholders; the
    only data in a message are its parameters, masked by `message_send`.
    Declaring a key again replaces it (contrib modules may load twice)."""
    _templates[key] = MessageTemplate(key, subject, body, tuple(params))


def templates() -> dict[str, MessageTemplate]:
    """Every declared template by key (the guard test sends each one)."""
    return dict(_templates)


# ---------------------------------------------------------------- masking

_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d{9})(?!\d)")
_MAX_PARAM = 120


def mask_name(name: str) -> str:
    """`张*`, `欧阳**`: the first character of a name, the rest starred."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[:1] + "*" * max(1, len(name) - 1)


def scrub(text: str) -> str:
    """Mask any resident ID number or mobile number found in a text."""
    text = _RESIDENT_ID.sub(lambda m: mask_id(m.group(1)), str(text))
    return _MOBILE.sub(lambda m: mask_phone(m.group(1)), text)


def _clean_params(template: MessageTemplate, params: dict[str, str]) -> dict[str, str]:
    unknown = set(params) - set(template.params)
    if unknown:
        raise ValueError(f"template {template.key!r} takes no parameter {sorted(unknown)}")
    clean: dict[str, str] = {}
    for key in template.params:
        value = str(params.get(key, ""))
        if key == "name" or key.endswith("_name"):  # a person's name always goes out masked
            value = "".join(mask_name(part) if part else part for part in value.split("、"))
        clean[key] = scrub(value)[:_MAX_PARAM]
    return clean


# ---------------------------------------------------------------- sending


def channels_available(to: Recipient | None = None) -> list[str]:
    """The channels configured on this installation (`to` omitted), or those
    that can reach `to`: e-mail needs an address, SMS a mobile number, WeCom
    an active group robot of the unit's (or the user's) station, browser push
    a subscription. Development and tests have console / in-memory backends,
    so every channel is configured there."""
    from messaging import backends

    configured = [c for c in CHANNELS if backends.configured(c)]
    if to is None:
        return configured
    return [c for c in configured if backends.reaches(c, to)]


def message_send(
    *,
    channel: str,
    to: Recipient,
    template: str,
    params: dict[str, str],
    event: str,
    dedupe_key: str,
    subject: str = "",
    body: str = "",
    link: str = "",
    attachment: str | None = None,
) -> Delivery:
    """Record one delivery and queue it for the background worker; the same
    (channel, dedupe_key) again returns the first delivery and queues nothing.
    `subject` / `body` replace the template's words (masked like the
    parameters); `link` is a path inside Linli (made absolute with
    LINLI_SITE_URL); `attachment` is a storage name (a generated report),
    attached to e-mail only."""
    from messaging import backends

    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if template not in _templates:
        raise ValueError(f"unknown message template {template!r}")
    if not dedupe_key:
        raise ValueError("a dedupe_key is required")
    found = Delivery.objects.filter(channel=channel, dedupe_key=dedupe_key).first()
    if found is not None:
        return found
    stored: dict[str, str] = _clean_params(_templates[template], params)
    if subject:
        stored["_subject"] = scrub(subject)[:200]
    if body:
        stored["_body"] = scrub(body)[:2000]
    address = to.address.strip()
    unit = backends.unit_of(channel, to)
    problem = backends.unreachable(channel, to)
    delivery = Delivery(
        channel=channel,
        event=event[:60],
        template=template,
        dedupe_key=dedupe_key[:200],
        user=to.user,
        unit=unit,
        recipient=backends.masked_recipient(channel, to),
        address_enc=encrypt(address) if address else "",
        params=stored,
        link=link[:500],
        attachment=(attachment or "")[:300],
        status=Status.FAILED if problem else Status.QUEUED,
        last_error=problem,
    )
    try:
        with transaction.atomic():
            delivery.save()
    except IntegrityError:  # the same key, sent at the same moment by another process
        return Delivery.objects.get(channel=channel, dedupe_key=dedupe_key[:200])
    if not problem:
        _queue(delivery.pk)
    return delivery


def _queue(delivery_id: int) -> None:
    from messaging.tasks import deliver

    transaction.on_commit(lambda: deliver(delivery_id))
