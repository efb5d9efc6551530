from django.urls import path

from people import views_import
from volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.volunteer_list, name="volunteer_list"),
    path("new/", views.volunteer_create, name="volunteer_create"),
    path("<int:volunteer_id>/", views.volunteer_detail, name="volunteer_detail"),
    path("<int:volunteer_id>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:team_id>/edit/", views.team_edit, name="team_edit"),
    path("import/", views_import.import_upload, {"registry": "volunteers"}, name="import_upload"),
    path("import/template/", views_import.import_template, {"registry": "volunteers"}, name="import_template"),
    path("import/<int:import_id>/", views_import.import_job, {"registry": "volunteers"}, name="import_job"),
    path(
        "import/<int:import_id>/columns/",
        views_import.import_mapping,
        {"registry": "volunteers"},
        name="import_mapping",
    ),
    path(
        "import/<int:import_id>/refused/",
        views_import.import_refused,
        {"registry": "volunteers"},
        name="import_refused",
    ),
]
