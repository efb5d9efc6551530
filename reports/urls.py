from django.urls import path

from reports import schedule_views, views

app_name = "reports"
urlpatterns = [
    path("dashboard/", views.dashboard_home, name="dashboard"),
    path("dashboard/<int:unit_id>/", views.dashboard_unit, name="dashboard_unit"),
    path("", views.report_index, name="report_index"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job_download"),
    path("narratives/", views.narrative_list, name="narrative_list"),
    path("narratives/<int:station_id>/", views.narrative_edit, name="narrative_edit"),
    path("schedules/", schedule_views.schedule_list, name="schedule_list"),
    path("schedules/new/", schedule_views.schedule_create, name="schedule_create"),
    path("schedules/<int:schedule_id>/", schedule_views.schedule_edit, name="schedule_edit"),
    path("schedules/sent/", schedule_views.send_list, name="schedule_sends"),
]
