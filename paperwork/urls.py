"""Printable standard forms (PDF) in the layout stations keep for inspection:
household file, case forms, sign-in sheets, joint-meeting minutes and the
monthly supervision record, one at a time or in batches."""

from __future__ import annotations

from django.urls import path

from paperwork import views
from paperwork.catalogue import CASE_FORMS

app_name = "paperwork"

urlpatterns = [
    path("", views.batch, name="batch"),
    path("households/<int:household_id>/file.pdf", views.household_pdf, name="household"),
    path("cases/<int:case_id>/", views.case_forms, name="case_forms"),
    path("cases/<int:case_id>/all.pdf", views.case_pdf, {"form": "all"}, name="case_all"),
    *[
        path(f"cases/<int:case_id>/{slug}.pdf", views.case_pdf, {"form": slug}, name=f"case_{slug}")
        for slug in CASE_FORMS
    ],
    path("activities/<int:activity_id>/", views.activity_forms, name="activity_forms"),
    path("activities/<int:activity_id>/signin.pdf", views.signin_pdf, {"blank": False}, name="signin"),
    path("activities/<int:activity_id>/signin-blank.pdf", views.signin_pdf, {"blank": True}, name="signin_blank"),
    path("joint-meetings/<int:joint_id>/minutes.pdf", views.joint_pdf, name="joint"),
    path("supervisions/<int:supervision_id>/record.pdf", views.supervision_pdf, name="supervision"),
]
