"""Open every edit form of every area and save it untouched: nothing may change.

The walk reuses tests/test_scoping_walk.py: every URL pattern of the project,
called with the station-B objects of tests/leakwalk.py by the insiders who may
edit them (the district admin, B's station lead). Each page's POST forms are
read as a browser would (tests/htmlcheck.py) and sorted by the URL they post
to: an edit form is posted back with exactly the values it rendered, and every
row in the database must stay as it was (the audit trail, timestamps and
who saved last aside). A blank date or datetime input is then filled with
today, saved, and the round trip repeated, so an optional date the page
cannot show back is caught too.

A form that posts to a URL of unknown kind fails the walk: register it in
EDIT_FORMS or ACTIONS below. When the walk's object of a URL keyword cannot
be edited in its state (a matched need), give the walk one in EDITABLE.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from configuration.catalogues import CATALOGUES
from core import concurrency, widgets
from tests.htmlcheck import HtmlForm, as_post_data, post_forms
from tests.leakwalk import KWARGS, Walk
from tests.test_scoping_walk import _client, _kwarg_names, _patterns, walk  # noqa: F401 (walk: the fixture)

# An edit form: its URL edits an object that already exists.
EDIT_NAME = re.compile(r"(_edit|_update|_correct)$")
EDIT_FORMS: set[str] = {
    "grading:policy",  # the district's follow-up intervals
    "notifications:settings",  # one's own notification settings
    "notifications:district",  # the district's notification defaults
    "casework:attendance_edit",
    "casework:scores_edit",
    "contracts:targets_edit",
    "reports:narrative_edit",
    "workrecords:sheet_edit",
    "grading:assign",  # who is responsible for the person's follow-up
    "grading:responsible_rule",  # how a station names new residents' responsible worker
    "fieldwork:policy",  # how many days the district's phones keep the visit list
    "grading:visit_settings",  # the district's location check-in and photo locations
}
# Forms that make something new: there is no existing object to keep.
CREATE_NAME = re.compile(r"(_create|_add|_new|_issue)$")
# A list's bulk form (class "list-bulk", core/_list_results.html) acts on the rows ticked.
BULK_CLASS = "list-bulk"
# A list's filter form (core/_list_filters.html) is posted so that an ID number
# searched for stays out of the address; it reads, it writes nothing.
FILTER_CLASS = "list-filters"
# Forms that act instead of editing; each says why a round trip means nothing.
ACTIONS: dict[str, str] = {
    "fieldwork:send": "the field app's script queues the visit on the phone and sends it with the phone's own id",
    "set_language": "switches the interface language",
    "notifications:read_all": "marks every notification read",
    "accounts:logout": "ends the session",
    "accounts:password_change": "asks for the old and a new password",
    "accounts:otp_verify": "checks a one-time code",
    "accounts:totp_setup": "checks a one-time code",
    "accounts:token_revoke": "revokes an API token",
    "accounts:staff_reset_password": "sets a new password",
    "casework:activity_cancel": "cancels the activity, with a reason",
    "casework:activity_complete": "closes the activity with its attendance",
    "casework:signin_switch": "switches the activity's sign-in QR code off, on or renews it",
    "volunteering:record_confirm": "confirms a pending service record once",
    "participation_staff:applications_accept": "accepts a portal submission into the registry, once",
    "participation_staff:applications_decline": "declines a portal submission, with a reason",
    "participation_staff:requests_accept": "accepts a portal submission into the registry, once",
    "participation_staff:requests_decline": "declines a portal submission, with a reason",
    "participation_staff:hours_accept": "accepts a portal submission into the registry, once",
    "participation_staff:hours_decline": "declines a portal submission, with a reason",
    "participation_staff:deliveries_accept": "accepts a portal submission into the registry, once",
    "participation_staff:deliveries_decline": "declines a portal submission, with a reason",
    "participation_staff:enterprises_accept": "accepts a portal submission into the registry, once",
    "participation_staff:enterprises_decline": "declines a portal submission, with a reason",
    "casework:case_transfer": "hands the case to another worker, with a reason",
    "casework:service_deliver": "records a new delivered service",
    "casework:service_plan": "plans a new service",
    "grading:card_override": "changes the card by hand, with a reason",
    "grading:person_grade": "grades the person again",
    "grading:regrade": "grades everyone again",
    "matching:need_close": "closes the need, with a note",
    "matching:need_type_set": "gives an untyped need its type, the suggestion preselected",
    "matching:need_review_map": "gives every untyped need its suggested type",
    "matching:task_start": "starts the task",
    "matching:task_detail": "records the task's outcome, which completes it",
    "matching:task_cancel": "cancels the task, with a note",
    "partners:enterprise_import_upload": "uploads a file to import",
    "partners:entry_import_upload": "uploads a file to import",
    "partners:offer_remove": "removes an enterprise's offer",
    "partners:organisation_import_upload": "uploads a file to import",
    "people:category_end": "ends a category from a date",
    "people:data_request": "records a new data request",
    "people:import_upload": "uploads a file to import",
    "people:import_job": "confirms a checked import, which queues its save",
    "people:import_mapping": "reads the file again with the columns as chosen, and remembers the choice",
    "people:person_status": "takes the person off the follow-up lists, from a date",
    "people:person_restore": "puts the person back on the follow-up lists",
    "people:tag_list": "creates a new tag",
    "people:person_merge": "merges two files of one resident into one, once, after a confirmation",
    "people:duplicate_dismiss": "marks two files as two different people",
    "people:workload_reassign": "hands a leaving worker's recipients and cases to another worker, with a reason",
    "casework:signup_batch": "previews, then signs many residents up at once",
    "reports:report_index": "requests a new report",
    "volunteers:import_upload": "uploads a file to import",
    "workrecords:summary_read": "marks a weekly summary read",
    "workrecords:survey_answer": "records a new answer to a survey",
    "workrecords:reporting_adopted": "sets a proposal's outcome: adopted, not adopted or not decided",
    "archive:document_replace": "files a new version of the document, keeping the old one",
    "archive:document_retire": "retires the document, with a reason",
    "archive:document_delete": "deletes a document nobody uses as evidence",
    "archive:evidence_remove": "removes a document from a self-evaluation item's evidence",
    "projects:expenditure_decide": "approves or refuses a pending expenditure, once",
    "contracts:contract_file": "uploads a new signed copy of the contract, replacing the old one",
    "venues:booking_release": "gives the room back, once",
    "venues:season_cancel": "releases a season's coming sessions, once",
    "partners:stage_set": "moves the organisation to another incubation stage from a date",
    "partners:member_remove": "removes a member from the roster",
    "partners:member_import_upload": "uploads a file to import",
    "portal:login": "sends a one-time sign-in code to a phone",
    "portal:code": "checks a one-time sign-in code",
    "portal:welcome": "the first sign-in's answers and the privacy notice",
    "portal:logout": "ends the portal session",
    "portal:text_size": "switches large text on or off",
    "portal_staff:help_accept": "accepts a resident's help request as a new need, once",
    "portal_staff:help_decline": "declines a resident's help request with a reason, once",
    "portal_staff:feedback_reply": "replies to a resident's feedback and closes it, once",
    "portal_staff:survey_link": "publishes a survey by link, or closes its link",
}
# The configuration pages' retire and bring-back buttons, one pair per catalogue.
ACTIONS.update(
    {
        f"configuration:{c.slug}_{verb}": "retires a catalogue entry, or offers a retired one again"
        for c in CATALOGUES
        if c.retirable
        for verb in ("retire", "reactivate")
    }
)


def _open_need(w: Walk) -> Any:
    """The walk's need is already matched, and only open needs are edited."""

    def make() -> Any:
        from matching import services
        from matching.models import NeedType
        from tests.leakwalk import person_b

        escort = NeedType.objects.get(code="escort")
        start = timezone.localdate()
        need = services.need_create(
            actor=w.insider,
            person=person_b(w),
            domain=escort.domain,
            need_type="escort",
            description="陪同就医",
            window_start=start,
            window_end=start + dt.timedelta(days=14),
        )
        return need.pk

    return w.once("open_need", make)


# The walk's objects, except where an edit form needs one its user may edit.
EDITABLE: dict[str, Callable[[Walk], Any]] = {"need_id": _open_need}

# Apps whose rows a save may add or touch: the trail of who did what.
TRAIL_APPS = {"audit", "sessions"}
# And the versions and one-time tokens of core/concurrency.py: how often, not what, was saved.
TRAIL_MODELS = {"core.RecordVersion", "core.FormSubmission"}
# Rows a first untouched save may create, and why that changes nothing.
MAY_CREATE: dict[str, str] = {
    # Until saved, a district follows the default policy; the first save
    # gives it its own row with the values the page showed.
    "grading:policy": "grading.FollowUpPolicy",
    # Likewise a station follows the default "file's creator" rule until saved.
    "grading:responsible_rule": "grading.ResponsibleRule",
    # A district follows the default number of days until it saves its own.
    "fieldwork:policy": "fieldwork.FieldPolicy",
    # A district follows the configured visit settings until it saves its own.
    "grading:visit_settings": "grading.VisitSettings",
}


def _snapshot() -> dict[str, dict[Any, dict[str, Any]]]:
    """Every row of every model, without the fields that record when and who saved last."""
    snap = {}
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label in TRAIL_APPS or label in TRAIL_MODELS or not model._meta.managed:
            continue
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if not (isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)) and f.name != "updated_by"
        ]
        snap[label] = {row["pk"]: _to_the_minute(row) for row in model._base_manager.values("pk", *names)}
    return snap


def _to_the_minute(row: dict[str, Any]) -> dict[str, Any]:
    """Datetime inputs work to the minute (core.widgets.DateTimeInput), so a
    walk record made with seconds keeps only its minutes."""
    return {k: v.replace(second=0, microsecond=0) if isinstance(v, dt.datetime) else v for k, v in row.items()}


def _differences(before: dict, after: dict, may_create: str = "") -> list[str]:
    found = []
    for label, rows in after.items():
        old = before.get(label, {})
        for pk, row in rows.items():
            if pk not in old:
                if label != may_create:
                    found.append(f"{label} #{pk} was created")
                continue
            changed = {k: (old[pk][k], v) for k, v in row.items() if old[pk][k] != v}
            if changed:
                found.append(
                    f"{label} #{pk} changed: " + ", ".join(f"{k} {a!r} → {b!r}" for k, (a, b) in changed.items())
                )
        found += [f"{label} #{pk} was deleted" for pk in old.keys() - rows.keys()]
    return found


def _target(page_url: str, form: HtmlForm) -> tuple[str, str]:
    url = urlsplit(form.action).path if form.action else page_url
    try:
        return url, resolve(url).view_name
    except Resolver404:
        raise AssertionError(f"a form on {page_url} posts to {form.action!r}, which no URL answers") from None


def _kind(name: str, page_url: str) -> str:
    if EDIT_NAME.search(name) or name in EDIT_FORMS:
        return "edit"
    if CREATE_NAME.search(name):
        return "create"
    if name in ACTIONS:
        return "action"
    raise AssertionError(
        f"a form on {page_url} posts to {name}, an unknown kind: in tests/test_form_walk.py add it to EDIT_FORMS "
        "if it edits an existing record (it will be saved back untouched), or to ACTIONS with the reason why not"
    )


def _page(client: Client, url: str) -> str | None:
    response = client.get(url)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        return response.content.decode()
    return None


def _form_errors(html: str) -> list[str]:
    return re.findall(r'class="errors?"[^>]*>(.*?)</div>', html, flags=re.S)


def _today_for(form: HtmlForm) -> dict[str, str]:
    """Today, in ISO, for each blank date or datetime input of the form."""
    today = timezone.localdate().isoformat()
    return {name: today if kind == "date" else f"{today}T09:30" for name, kind in form.blank_dates.items()}


def _names(form: HtmlForm) -> tuple[str, ...]:
    return tuple(sorted({name for name, _value in form.fields}))


def _edit_forms(walk: Walk) -> list[tuple[str, str, tuple[str, ...]]]:
    """(page URL, URL posted to, field names) of every edit form, as the first
    insider who may open the page sees it."""
    found: dict[tuple[str, tuple[str, ...]], tuple[str, str, tuple[str, ...]]] = {}
    for name, pattern in _patterns(get_resolver()):
        page_url = reverse(name, kwargs={k: {**KWARGS, **EDITABLE}[k](walk) for k in _kwarg_names(pattern)})
        html = next(filter(None, (_page(_client(user), page_url) for user in walk.insiders)), None)
        for form in post_forms(html or ""):
            url, target = _target(page_url, form)
            if not {BULK_CLASS, FILTER_CLASS} & set(form.classes) and _kind(target, page_url) == "edit":
                found.setdefault((url, _names(form)), (page_url, url, _names(form)))
    return list(found.values())


def _form_on(client: Client, page_url: str, url: str, names: tuple[str, ...]) -> HtmlForm | None:
    """The form posting to `url` on the page as this client sees it (the same
    fields preferred: one page may hold several forms posting to one URL)."""
    forms = [f for f in post_forms(_page(client, page_url) or "") if _target(page_url, f)[0] == url]
    return next((f for f in forms if _names(f) == names), forms[0] if forms else None)


def _post(client: Client, url: str, data: dict[str, list[str]]) -> tuple[int, list[str]]:
    response = client.post(url, data)
    errors = _form_errors(response.content.decode(errors="replace")) if response.status_code == 200 else []
    return response.status_code, errors


def _round_trip(client: Client, page_url: str, url: str, form: HtmlForm, why: str) -> bool:
    """Post the form back as rendered; False if this user may not save it."""
    before = _snapshot()
    status, errors = _post(client, url, as_post_data(form))
    if status == 403:
        return False
    where = f"{why}: saving {url} untouched, as rendered on {page_url},"
    assert status in (200, 302), f"{where} answered {status}"
    assert not errors, f"{where} was refused: {errors} (if the walk's object may not be edited, add one to EDITABLE)"
    changed = _differences(before, _snapshot(), MAY_CREATE.get(resolve(url).view_name, ""))
    assert not changed, f"{where} changed records: {changed}"
    return True


def test_it_saves_every_edit_form_untouched_without_changing_anything(walk: Walk) -> None:
    edits = _edit_forms(walk)
    assert len(edits) >= 15, f"the walk found only {len(edits)} edit forms: {edits}"
    for page_url, url, names in edits:
        for user in walk.insiders:
            client = _client(user)
            form = _form_on(client, page_url, url, names)
            if form is None or not _round_trip(client, page_url, url, form, "as first rendered"):
                continue  # this insider may read the page but not save it; the next one may
            blanks = _today_for(form)
            if blanks:
                _status, errors = _post(client, url, {**as_post_data(form), **{k: [v] for k, v in blanks.items()}})
                if errors:
                    break  # today is not a valid value there; the untouched save above still counts
                form = _form_on(client, page_url, url, names)
                assert form is not None, f"{page_url}: the form is gone after saving its dates"
                shown = {k: v for k, v in form.fields if k in blanks}
                assert shown == blanks, f"{page_url}: saved the dates {blanks} but the form shows {shown} afterwards"
                _round_trip(client, page_url, url, form, "with its dates filled")
            break
        else:
            raise AssertionError(f"no insider of the walk may save {url} (from {page_url}): add one to the walk")


_STALE = gettext_lazy("Someone else saved this record while you were editing it. Nothing you sent was saved.")


def _stale_refusal(html: str) -> bool:
    return any(str(_STALE) in e for e in _form_errors(html)) or str(_STALE_EN) in html


_STALE_EN = "Someone else saved this record while you were editing it."


def test_it_refuses_every_edit_form_saved_on_a_version_someone_saved_since(walk: Walk) -> None:
    """Two people open the same edit form; the first saves; the second's save,
    based on the version both saw, is refused and nothing it sent is kept."""
    edits = _edit_forms(walk)
    missing = sorted({url for _page_url, url, names in edits if concurrency.BASED_ON not in names})
    assert not missing, (
        f"edit forms that do not say which version they were based on: {missing}; "
        "serve them with core.forms.form_page(..., edits=<the record>) (docs/forms.md)"
    )
    for page_url, url, names in edits:
        for user in walk.insiders:
            client = _client(user)
            drawn = _form_on(client, page_url, url, names)
            if drawn is None:
                continue
            status, errors = _post(client, url, as_post_data(drawn))  # the other person saves first
            if status == 403:
                continue
            assert not errors, f"{url}: the first save was refused: {errors}"
            before = _snapshot()
            data = {**as_post_data(drawn), **{k: [v] for k, v in _today_for(drawn).items()}}
            response = client.post(url, data)
            where = f"{url} (from {page_url}), saved on the version the other person saved over,"
            assert response.status_code == 200, f"{where} answered {response.status_code} instead of refusing"
            assert _stale_refusal(response.content.decode()), f"{where} was not refused as stale"
            assert not _differences(before, _snapshot()), f"{where} changed records"
            break


def test_it_refuses_a_stale_save_with_what_the_other_person_changed(admin: Any, tree: Any) -> None:
    from matching.models import NeedType

    fan = NeedType.objects.get(code="goods-appliance")
    url = reverse("configuration:need_types_edit", args=[fan.pk])
    mine, theirs = _client(admin), _client(admin)
    [form] = [f for f in post_forms(_page(mine, url) or "") if not f.action]
    [other] = [f for f in post_forms(_page(theirs, url) or "") if not f.action]
    assert theirs.post(url, {**as_post_data(other), "name": ["电风扇"]}).status_code == 302
    response = mine.post(url, {**as_post_data(form), "name": ["风扇"], "order": ["7"]})
    html = response.content.decode()
    assert response.status_code == 200 and _stale_refusal(html)
    fan.refresh_from_db()
    assert (fan.name, fan.order) == ("电风扇", NeedType.objects.get(pk=fan.pk).order)
    assert "电风扇" in html and "风扇" in html  # theirs, then what was sent
    # The form now holds the current version: saving again keeps what was sent.
    [again] = [f for f in post_forms(html) if not f.action]
    assert ("name", "风扇") in again.fields
    assert mine.post(url, as_post_data(again)).status_code == 302
    fan.refresh_from_db()
    assert (fan.name, fan.order) == ("风扇", 7)


def _create_forms(walk: Walk) -> list[tuple[str, str, HtmlForm]]:
    found: dict[str, tuple[str, str, HtmlForm]] = {}
    for name, pattern in _patterns(get_resolver()):
        page_url = reverse(name, kwargs={k: {**KWARGS, **EDITABLE}[k](walk) for k in _kwarg_names(pattern)})
        html = next(filter(None, (_page(_client(user), page_url) for user in walk.insiders)), None)
        for form in post_forms(html or ""):
            url, target = _target(page_url, form)
            if not {BULK_CLASS, FILTER_CLASS} & set(form.classes) and _kind(target, page_url) == "create":
                found.setdefault(url, (page_url, url, form))
    return list(found.values())


def test_it_gives_every_create_form_a_one_time_token_and_acts_once(walk: Walk) -> None:
    """Every form that makes something new carries a one-time token; a form the
    walk can send as drawn (every field has a default) is sent twice and makes
    its rows once."""
    creates = _create_forms(walk)
    assert len(creates) >= 15, f"the walk found only {len(creates)} create forms"
    missing = sorted(url for _p, url, form in creates if concurrency.ONCE not in _names(form))
    assert not missing, (
        f"create forms without a one-time token: {missing}; serve them with core.forms.form_page (docs/forms.md)"
    )
    sent_twice = 0
    for page_url, url, _form in creates:
        for user in walk.insiders:
            client = _client(user)
            drawn = _form_on(client, page_url, url, _names(_form))
            if drawn is None:
                continue
            before = _snapshot()
            first = client.post(url, as_post_data(drawn))
            made = _differences(before, _snapshot())
            if first.status_code != 302 or not made:
                break  # the drawn form needs input first; the token is checked above and in core's tests
            middle = _snapshot()
            second = client.post(url, as_post_data(drawn))
            assert second.status_code == 302 and second["Location"] == first["Location"], (
                f"{url}: the second post of one drawn form answered differently"
            )
            assert not _differences(middle, _snapshot()), f"{url}: the same form sent twice made rows twice"
            sent_twice += 1
            break
    assert sent_twice >= 1


def _project_apps() -> list[Any]:
    root = Path(settings.BASE_DIR).resolve()
    return [c for c in apps.get_app_configs() if Path(c.path).resolve().parent == root]


def _project_modules() -> None:
    """Import every module of the project's apps, so that every form class exists."""
    for config in _project_apps():
        for info in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            if not {"tests", "migrations", "management"} & set(info.name.split(".")):
                importlib.import_module(info.name)


def _subclasses(base: type) -> list[Any]:
    found: list[Any] = []
    stack: list[Any] = [base]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            found.append(sub)
    return found


def test_it_gives_every_date_field_of_every_form_the_iso_widget() -> None:
    """Forms that the walk cannot post (new records, filters) still render
    their dates through core.widgets."""
    import django_filters

    _project_modules()
    project = {c.name for c in _project_apps()}
    wrong = []
    fields: list[tuple[str, Any]] = []
    for form in _subclasses(forms.BaseForm):
        if form.__module__.split(".")[0] in project:
            fields += [(f"{form.__module__}.{form.__qualname__}.{n}", f) for n, f in form.base_fields.items()]
    for filterset in _subclasses(django_filters.FilterSet):
        if filterset.__module__.split(".")[0] in project:
            for n, f in filterset.base_filters.items():
                fields.append((f"{filterset.__module__}.{filterset.__qualname__}.{n}", f.field))
    for where, field in fields:
        if isinstance(field, forms.DateTimeField) and not isinstance(field.widget, widgets.DateTimeInput):
            wrong.append(f"{where}: use core.widgets.DateTimeInput")
        elif isinstance(field, forms.DateField) and not isinstance(field.widget, widgets.DateInput):
            wrong.append(f"{where}: use core.widgets.DateInput")
    assert len(fields) > 100
    assert not wrong, wrong


def test_it_shows_and_keeps_the_default_dates_of_new_reports_and_wishes(admin: Any, tree: Any) -> None:
    from matching.models import NeedType, Wish
    from people.models import Person
    from people.tests.factories import PersonFactory
    from reports.models import ReportJob

    client, today = _client(admin), timezone.localdate()
    [form] = [f for f in post_forms(_page(client, reverse("reports:report_index")) or "") if not f.action]
    assert ("day", today.isoformat()) in form.fields
    client.post(reverse("reports:report_index"), as_post_data(form))
    job = ReportJob.objects.get()
    assert job.period_start <= today <= job.period_end

    person = cast(Person, PersonFactory(unit=tree.b1))
    [form] = [f for f in post_forms(_page(client, reverse("matching:wish_create")) or "") if not f.action]
    assert ("deadline", (today + dt.timedelta(days=30)).isoformat()) in form.fields
    fan = NeedType.objects.get(code="goods-appliance")
    data = {
        **as_post_data(form),
        "person": [person.pk],
        "title": ["一台电风扇"],
        "value": ["150"],
        "need_type": [fan.pk],
    }
    response = client.post(reverse("matching:wish_create"), data)
    assert response.status_code == 302, _form_errors(response.content.decode())
    assert Wish.objects.get().deadline == today + dt.timedelta(days=30)


@pytest.mark.parametrize(
    "html, expected",
    [
        ('<form method="post"><input type="date" name="d" value="2026-12-01"></form>', [("d", "2026-12-01")]),
        ('<form method="post"><select name="s"><option value="1">a<option value="2" selected>b</select></form>', [("s", "2")]),
        ('<form method="post"><input type="checkbox" name="c"><input type="checkbox" name="k" checked></form>', [("k", "on")]),
        ('<form method="post"><textarea name="t">\nline</textarea><button name="go" value="1">ok</button></form>', [("t", "line"), ("go", "1")]),
        ('<form method="get"><input name="q" value="x"></form>', None),
        # A browser blanks a value its input type cannot hold.
        ('<form method="post"><input type="date" name="d" value="2026/12/01"></form>', [("d", "")]),
        ('<form method="post"><input type="datetime-local" name="t" value="2026-12-01 09:30"></form>', [("t", "2026-12-01T09:30")]),
        ('<form method="post"><input type="number" name="n" value="1,5"></form>', [("n", "")]),
    ],
)  # fmt: skip
def test_it_reads_forms_as_a_browser_submits_them(html: str, expected: list | None) -> None:
    forms = post_forms(html)
    assert (forms[0].fields if forms else None) == expected
