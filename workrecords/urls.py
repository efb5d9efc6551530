from django.urls import path

from workrecords import maps, views

app_name = "workrecords"
urlpatterns = [
    path("", views.index, name="index"),
    path("summaries/<int:summary_id>/read/", views.summary_read, name="summary_read"),
    path("reporting/<int:entry_id>/adopted/", views.reporting_adopted, name="reporting_adopted"),
    path("surveys/<int:survey_id>/answer/", views.survey_answer, name="survey_answer"),
    path("satisfaction/by-unit/", views.satisfaction_summary, name="satisfaction_summary"),
    path("self-evaluations/", views.selfeval_list, name="selfeval_list"),
    path("self-evaluations/new/", views.selfeval_create, name="selfeval_create"),
    path("self-evaluations/sheet/", views.sheet_edit, name="sheet_edit"),
    path("self-evaluations/<int:evaluation_id>/", views.selfeval_detail, name="selfeval_detail"),
    path("resource-map/", maps.resource_map, name="resource_map"),
]
for _slug, _kind in views.KINDS.items():
    _list, _create, _detail, _edit = views.VIEWS[_slug]
    urlpatterns += [
        path(f"{_slug}/", _list, name=_slug),
        path(f"{_slug}/new/", _create, name=f"{_slug}_create"),
        path(f"{_slug}/<int:{_kind.kwarg}>/", _detail, name=f"{_slug}_detail"),
        path(f"{_slug}/<int:{_kind.kwarg}>/edit/", _edit, name=f"{_slug}_edit"),
    ]
