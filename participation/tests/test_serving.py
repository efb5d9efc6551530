"""A registered volunteer's sign-up, QR sign-in and reported hours: pending
until staff confirm, only then counted in hours and stars; corrections and
the certificate through requests staff accept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from casework.models import ActivitySignup
from participation import applications, selectors, serving
from participation.models import Decision, RequestKind
from participation.tests.conftest import volunteer_of
from volunteering.models import Certificate, ServiceRecord

pytestmark = pytest.mark.django_db


def test_it_counts_reported_hours_only_once_staff_confirm(account, lead, tree, activity):
    volunteer_of(account, lead, tree.a1)
    serving.signup(account=account, activity=activity)
    report = serving.hours_report(account=account, activity=activity, hours="2.5")
    assert report.record.pending
    assert selectors.standing(account)["hours"] == 0 and selectors.standing(account)["pending"] == 1
    serving.hours_accept(actor=lead, report=report)
    assert selectors.standing(account)["hours"] == Decimal("2.5")
    with pytest.raises(ValidationError):
        serving.hours_report(account=account, activity=activity, hours=1)


def test_it_reports_on_the_record_the_qr_sign_in_proposed(account, lead, tree, activity):
    volunteer_of(account, lead, tree.a1)
    serving.signup(account=account, activity=activity)
    serving.signin(account=account, activity=activity)
    assert ActivitySignup.objects.get(activity=activity).attended
    report = serving.hours_report(account=account, activity=activity, hours=1.5)
    assert ServiceRecord.objects.count() == 1
    serving.hours_accept(actor=lead, report=report)
    assert ServiceRecord.objects.get().hours == Decimal("1.5")


def test_it_refuses_hours_for_an_activity_not_signed_up_for(account, lead, tree, activity):
    volunteer_of(account, lead, tree.a1)
    with pytest.raises(ValidationError):
        serving.hours_report(account=account, activity=activity, hours=2)
    assert not ServiceRecord.objects.exists()


def test_it_refuses_everything_to_an_account_not_yet_a_volunteer(account, activity):
    with pytest.raises(ValidationError):
        serving.signup(account=account, activity=activity)


def test_it_drops_declined_hours_and_says_why(account, lead, tree, activity):
    volunteer_of(account, lead, tree.a1)
    serving.signup(account=account, activity=activity)
    report = serving.hours_report(account=account, activity=activity, hours=3)
    serving.hours_decline(actor=lead, report=report, reason="当天未到场")
    report.refresh_from_db()
    assert report.status == Decision.DECLINED and report.record is None and not ServiceRecord.objects.exists()


def test_it_issues_the_certificate_and_corrects_a_record_on_request(account, lead, tree, activity):
    volunteer_of(account, lead, tree.a1)
    serving.signup(account=account, activity=activity)
    serving.hours_accept(actor=lead, report=serving.hours_report(account=account, activity=activity, hours=2))
    record = ServiceRecord.objects.get()
    fix = applications.request_submit(account=account, kind=RequestKind.RECORD, record=record, note="实际服务3小时")
    applications.request_accept(actor=lead, request=fix, hours="3")
    record.refresh_from_db()
    assert record.hours == 3
    ask = applications.request_submit(account=account, kind=RequestKind.CERTIFICATE)
    applications.request_accept(actor=lead, request=ask)
    assert Certificate.objects.get().hours == 3
    assert list(selectors.own_certificates(account)) == list(Certificate.objects.all())


def test_it_applies_a_details_correction_when_staff_accept(account, lead, tree):
    volunteer = volunteer_of(account, lead, tree.a1)
    ask = applications.request_submit(account=account, kind=RequestKind.PROFILE, changes={"address": "甲一社区3栋"})
    volunteer.refresh_from_db()
    assert volunteer.address == ""
    applications.request_accept(actor=lead, request=ask)
    volunteer.refresh_from_db()
    assert volunteer.address == "甲一社区3栋"


def test_it_refuses_a_correction_of_another_volunteers_record(account, other_account, lead, tree, activity):
    volunteer_of(account, lead, tree.a1)
    volunteer_of(other_account, lead, tree.a2)
    serving.signup(account=other_account, activity=activity)
    report = serving.hours_report(account=other_account, activity=activity, hours=2)
    with pytest.raises(ValidationError):
        applications.request_submit(account=account, kind=RequestKind.RECORD, record=report.record, note="改")
    assert not selectors.own_records(account).exists()
