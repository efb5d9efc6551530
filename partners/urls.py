from django.urls import path

from partners import incubation_views, views
from people import views_import

app_name = "partners"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:enterprise_id>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:enterprise_id>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:enterprise_id>/offers/new/", views.offer_add, name="offer_add"),
    path("offers/<int:offer_id>/remove/", views.offer_remove, name="offer_remove"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:organisation_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:organisation_id>/", incubation_views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:organisation_id>/incubation/new/", incubation_views.incubation_add, name="incubation_add"),
    path("organisations/<int:organisation_id>/stage/", incubation_views.stage_set, name="stage_set"),
    path("organisations/<int:organisation_id>/members/new/", incubation_views.member_add, name="member_add"),
    path("members/<int:member_id>/remove/", incubation_views.member_remove, name="member_remove"),
    path(
        "organisations/members/import/",
        views_import.import_upload,
        {"registry": "organisation_members"},
        name="member_import_upload",
    ),
    path(
        "organisations/members/import/template/",
        views_import.import_template,
        {"registry": "organisation_members"},
        name="member_import_template",
    ),
    path(
        "organisations/members/import/<int:import_id>/",
        views_import.import_job,
        {"registry": "organisation_members"},
        name="member_import_job",
    ),
    path(
        "organisations/members/import/<int:import_id>/columns/",
        views_import.import_mapping,
        {"registry": "organisation_members"},
        name="member_import_mapping",
    ),
    path(
        "organisations/members/import/<int:import_id>/refused/",
        views_import.import_refused,
        {"registry": "organisation_members"},
        name="member_import_refused",
    ),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/new/", views.entry_create, name="entry_create"),
    path("ledger/<int:ledger_entry_id>/edit/", views.entry_edit, name="entry_edit"),
    path(
        "enterprises/import/", views_import.import_upload, {"registry": "enterprises"}, name="enterprise_import_upload"
    ),
    path(
        "enterprises/import/template/",
        views_import.import_template,
        {"registry": "enterprises"},
        name="enterprise_import_template",
    ),
    path(
        "enterprises/import/<int:import_id>/",
        views_import.import_job,
        {"registry": "enterprises"},
        name="enterprise_import_job",
    ),
    path(
        "enterprises/import/<int:import_id>/columns/",
        views_import.import_mapping,
        {"registry": "enterprises"},
        name="enterprise_import_mapping",
    ),
    path(
        "enterprises/import/<int:import_id>/refused/",
        views_import.import_refused,
        {"registry": "enterprises"},
        name="enterprise_import_refused",
    ),
    path(
        "organisations/import/",
        views_import.import_upload,
        {"registry": "organisations"},
        name="organisation_import_upload",
    ),
    path(
        "organisations/import/template/",
        views_import.import_template,
        {"registry": "organisations"},
        name="organisation_import_template",
    ),
    path(
        "organisations/import/<int:import_id>/",
        views_import.import_job,
        {"registry": "organisations"},
        name="organisation_import_job",
    ),
    path(
        "organisations/import/<int:import_id>/columns/",
        views_import.import_mapping,
        {"registry": "organisations"},
        name="organisation_import_mapping",
    ),
    path(
        "organisations/import/<int:import_id>/refused/",
        views_import.import_refused,
        {"registry": "organisations"},
        name="organisation_import_refused",
    ),
    path("ledger/import/", views_import.import_upload, {"registry": "resources"}, name="entry_import_upload"),
    path(
        "ledger/import/template/", views_import.import_template, {"registry": "resources"}, name="entry_import_template"
    ),
    path("ledger/import/<int:import_id>/", views_import.import_job, {"registry": "resources"}, name="entry_import_job"),
    path(
        "ledger/import/<int:import_id>/columns/",
        views_import.import_mapping,
        {"registry": "resources"},
        name="entry_import_mapping",
    ),
    path(
        "ledger/import/<int:import_id>/refused/",
        views_import.import_refused,
        {"registry": "resources"},
        name="entry_import_refused",
    ),
]
