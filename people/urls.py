from django.urls import path

from people import views, views_hygiene, views_import

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("<int:person_id>/", views.person_detail, name="person_detail"),
    path("<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("<int:person_id>/reveal-id/", views.person_reveal_id, name="person_reveal_id"),
    path("<int:person_id>/status/", views.person_status, name="person_status"),
    path("<int:person_id>/restore/", views.person_restore, name="person_restore"),
    path("<int:person_id>/categories/new/", views.category_add, name="category_add"),
    path("categories/<int:held_id>/end/", views.category_end, name="category_end"),
    path("<int:person_id>/guardians/new/", views.guardian_add, name="guardian_add"),
    path("<int:person_id>/consents/new/", views.consent_add, name="consent_add"),
    path("consents/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:person_id>/data-request/", views.data_request, name="data_request"),
    path("duplicates/", views_hygiene.duplicate_list, name="duplicate_list"),
    path(
        "duplicates/<int:person_id>/<int:other_person_id>/not-same/",
        views_hygiene.duplicate_dismiss,
        name="duplicate_dismiss",
    ),
    path("<int:person_id>/merge/<int:other_person_id>/", views_hygiene.person_merge, name="person_merge"),
    path("reassign/", views_hygiene.workload_staff, name="workload_staff"),
    path("reassign/<int:user_id>/", views_hygiene.workload_reassign, name="workload_reassign"),
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:household_id>/", views.household_detail, name="household_detail"),
    path("households/<int:household_id>/edit/", views.household_edit, name="household_edit"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/<int:tag_id>/toggle/", views.tag_toggle, name="tag_toggle"),
    path("import/", views_import.import_upload, {"registry": "people"}, name="import_upload"),
    path("import/template/", views_import.import_template, {"registry": "people"}, name="import_template"),
    path("import/<int:import_id>/", views_import.import_job, {"registry": "people"}, name="import_job"),
    path("import/<int:import_id>/columns/", views_import.import_mapping, {"registry": "people"}, name="import_mapping"),
    path("import/<int:import_id>/refused/", views_import.import_refused, {"registry": "people"}, name="import_refused"),
]
