"""Every form with a file field goes through core.uploads: a disguised file
(a PHP script named like the file the form wants) and an oversize file are
refused with a clear message in Chinese, and nothing is stored."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from archive.forms import DocumentForm, ReplaceForm
from archive.models import Category, Document, Version
from casework.forms import AttachmentForm, PhotoForm
from casework.models import ActivityPhoto, CaseAttachment
from casework.tests.factories import domain, open_case
from contracts.models import Contract, ContractEvaluation
from contracts.purchaser_forms import ContractFileForm, EvaluationForm
from contracts.tests.factories import contract_for
from core.uploads import CheckedFileField
from grading.forms import VisitForm
from grading.models import VisitPhoto
from grading.tests.factories import graded
from matching.forms import WishFulfilForm
from matching.models import NeedType, Wish
from participation.forms import DeliveryForm
from participation.models import WishClaim
from people.models import Person
from people.tests.factories import PersonFactory
from people.views_import import UploadForm
from portal.forms import HelpForm
from portal.models import HelpRequest, PortalAccount
from projects.forms import ExpenditureForm
from projects.models import BudgetLine, Expenditure
from projects.tests.factories import line_for, project_for

pytestmark = pytest.mark.django_db

PHP = b"<?php system($_GET['c']); ?>"


def _project_modules() -> Iterator[str]:
    for config in apps.get_app_configs():
        if not Path(config.path).is_relative_to(settings.BASE_DIR) or ".venv" in config.path:
            continue
        for info in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            if not any(part in {"tests", "migrations", "management"} for part in info.name.split(".")):
                yield info.name


def _forms_with_files() -> set[type[forms.BaseForm]]:
    for name in _project_modules():
        importlib.import_module(name)
    found: set[type[forms.BaseForm]] = set()
    todo: list[type[forms.BaseForm]] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        fields = getattr(cls, "base_fields", {})
        if cls.__module__.split(".")[0] in {a.name for a in apps.get_app_configs()} and any(
            isinstance(f, forms.FileField) for f in fields.values()
        ):
            found.add(cls)
    return found


def _wish(worker: Any, tree: Any) -> Wish:
    from matching import services
    from partners.models import Enterprise

    wish = services.wish_publish(
        actor=worker,
        person=cast(Person, PersonFactory(unit=tree.a1)),
        title="台灯",
        value=Decimal("60"),
        deadline=dt.date.today() + dt.timedelta(days=3),
        need_type=NeedType.objects.get(code="goods-study"),
    )
    return services.wish_claim(
        actor=worker, wish=wish, enterprise=Enterprise.objects.create(unit=tree.a1, name="灯具店")
    )


def _project(worker: Any, tree: Any) -> Any:
    project = project_for(worker, tree.station_a)
    line_for(worker, project)
    return project


def _activity(worker: Any, tree: Any) -> Any:
    from casework.services import activity_create

    start = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
    return activity_create(
        actor=worker,
        unit=tree.station_a,
        title="重阳敬老活动",
        domain=domain(),
        venue="社区活动中心",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        organiser="社工站",
    )


# form → (the page posting it, given the cast; its file field; other fields; what counts what it stored)
Page = tuple[Callable[[Any, Any], str], str, dict[str, Any], Callable[[], int]]
PAGES: dict[type[forms.BaseForm], Page] = {
    AttachmentForm: (
        lambda w, t: reverse("casework:attachment_add", args=[open_case(w, unit=t.a1).pk]),
        "file",
        {"description": "评估报告"},
        CaseAttachment.objects.count,
    ),
    PhotoForm: (
        lambda w, t: reverse("casework:photo_add", args=[_activity(w, t).pk]),
        "file",
        {"caption": "合影"},
        ActivityPhoto.objects.count,
    ),
    WishFulfilForm: (
        lambda w, t: reverse("matching:wish_fulfil", args=[_wish(w, t).pk]),
        "photo",
        {},
        Wish.objects.exclude(photo="").count,
    ),
    UploadForm: (lambda w, t: reverse("people:import_upload"), "file", {}, lambda: 0),
    VisitForm: (
        lambda w, t: reverse("grading:visit_new", args=[graded(t.a1).pk]),
        "photos",
        {"mode": "home", "visited_on": dt.date.today().isoformat()},
        VisitPhoto.objects.count,
    ),
    EvaluationForm: (
        lambda w, t: reverse("contracts:evaluation_add", args=[contract_for([t.station_a], unit=t.district).pk]),
        "file",
        {"kind": "mid", "date": "2026-06-01", "evaluator": "第三方评估机构", "conclusion": "良好"},
        ContractEvaluation.objects.count,
    ),
    ContractFileForm: (
        lambda w, t: reverse("contracts:contract_file", args=[contract_for([t.station_a], unit=t.district).pk]),
        "file",
        {},
        Contract.objects.exclude(signed_file="").count,
    ),
    ExpenditureForm: (
        lambda w, t: reverse("projects:expenditure_add", args=[_project(w, t).pk]),
        "receipt",
        {
            "line": lambda: BudgetLine.objects.latest("pk").pk,
            "spent_on": "2026-03-02",
            "amount": "100",
            "payee": "文具店",
            "purpose": "活动物料",
        },
        Expenditure.objects.count,
    ),
}


def _archived(worker: Any, tree: Any) -> Any:
    """A document whose file is not in this test's storage, which must stay empty."""
    return Document.objects.create(
        unit=tree.station_a,
        category=Category.objects.earliest("id"),
        title="站点管理制度",
        year=2026,
        file="archive/elsewhere.pdf",
        file_name="rules.pdf",
        file_type="application/pdf",
        uploaded_by=worker,
    )


PAGES[DocumentForm] = (
    lambda w, t: reverse("archive:document_create"),
    "file",
    {
        "unit": lambda: User.objects.get(username="lead_a").unit_id,
        "category": lambda: Category.objects.earliest("id").pk,
        "title": "站点管理制度",
        "year": "2026",
        "retention_years": "permanent",
    },
    Document.objects.count,
)
PAGES[ReplaceForm] = (
    lambda w, t: reverse("archive:document_replace", args=[_archived(w, t).pk]),
    "file",
    {},
    Version.objects.count,
)
# The forms only a district administrator posts (the contract's records); the rest, the station lead.
POSTED_BY_ADMIN = {EvaluationForm, ContractFileForm}


# Portal forms: posted by a signed-in portal account (not staff), form → that account's client.
DONOR_PHONE = "13800005555"


def _donor_claim(worker: Any, tree: Any) -> Any:
    from django.utils import timezone

    from matching import services
    from participation import giving
    from portal.models import PortalAccount

    donor = PortalAccount.objects.create(
        phone=DONOR_PHONE, name="刘先生", station=tree.station_a, privacy_accepted_at=timezone.now()
    )
    wish = services.wish_publish(
        actor=worker,
        person=cast(Person, PersonFactory(unit=tree.a1)),
        title="台灯",
        value=Decimal("60"),
        deadline=dt.date.today() + dt.timedelta(days=3),
        need_type=NeedType.objects.get(code="goods-study"),
    )
    return giving.wish_claim(account=donor, wish=wish)


def _donor_client() -> Any:
    from django.test import Client

    from portal.tests.conftest import sign_in

    client = Client()
    sign_in(client, DONOR_PHONE)
    return client


PAGES[DeliveryForm] = (
    lambda w, t: reverse("participation_portal:deliver", args=[_donor_claim(w, t).pk]),
    "photo",
    {},
    WishClaim.objects.exclude(photo="").count,
)
POSTED_BY_PORTAL: dict[type[forms.BaseForm], Callable[[], Any]] = {DeliveryForm: _donor_client}


# A resident's help request with a photo (portal).
RESIDENT_PHONE = "13800006666"


def _help_page(worker: Any, tree: Any) -> str:
    from django.utils import timezone

    from portal.models import PortalAccount

    PortalAccount.objects.create(
        phone=RESIDENT_PHONE,
        name="陈阿姨",
        community=tree.a1,
        station=tree.station_a,
        privacy_accepted_at=timezone.now(),
    )
    return reverse("portal:help_new")


def _resident_client() -> Any:
    from django.test import Client

    from portal.tests.conftest import sign_in

    client = Client()
    sign_in(client, RESIDENT_PHONE)
    return client


PAGES[HelpForm] = (
    _help_page,
    "photo",
    {
        "need_type": lambda: NeedType.objects.get(code="escort").pk,
        "description": "陪同就医",
        "community": lambda: PortalAccount.objects.get(phone=RESIDENT_PHONE).community_id,
        "contact_phone": RESIDENT_PHONE,
    },
    HelpRequest.objects.count,
)
POSTED_BY_PORTAL[HelpForm] = _resident_client

DISGUISED = {"file": "evil.php.pdf", "photo": "evil.php.jpg"}


def test_it_checks_every_file_field_in_one_place(db: Any) -> None:
    found = _forms_with_files()
    assert found == set(PAGES), "a form with a file field is missing from PAGES"
    for form in found:
        for field in cast(type[forms.Form], form).base_fields.values():
            if isinstance(field, forms.FileField):
                assert isinstance(field, CheckedFileField), form


def _stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.parametrize("form", list(PAGES), ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda ext: SimpleUploadedFile(f"evil.php{ext}", PHP), "文件内容与其类型不符"),
        (lambda ext: SimpleUploadedFile(f"big{ext}", b"0" * (1024 * 1024 + 1)), "文件超过 1 MB"),
    ],
    ids=["disguised", "oversize"],
)
def test_it_refuses_a_bad_upload_and_stores_nothing(
    tree: Any,
    lead: Any,
    admin: Any,
    as_user: Any,
    settings: Any,
    monkeypatch: Any,
    tmp_path: Path,
    form: Any,
    upload: Any,
    message: str,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.LINLI_PHOTO_MAX_MB = settings.LINLI_CASE_ATTACHMENT_MAX_MB = settings.LINLI_IMPORT_MAX_MB = 1
    monkeypatch.setenv("LINLI_CONTRACT_FILE_MAX_MB", "1")
    monkeypatch.setenv("LINLI_RECEIPT_MAX_MB", "1")
    monkeypatch.setenv("LINLI_ARCHIVE_MAX_MB", "1")
    url_of, field, data, stored = PAGES[form]
    poster = admin if form in POSTED_BY_ADMIN else lead
    url = url_of(poster, tree)
    data = {k: v() if callable(v) else v for k, v in data.items()}  # records the page made
    ext = {AttachmentForm: ".pdf", UploadForm: ".xlsx"}.get(form, ".jpg")
    before = stored()
    client = POSTED_BY_PORTAL[form]() if form in POSTED_BY_PORTAL else as_user(poster)
    response = client.post(url, {**data, field: upload(ext)}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert stored() == before and not _stored(tmp_path)
