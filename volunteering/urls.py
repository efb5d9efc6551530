from django.urls import path

from volunteering import views

app_name = "volunteering"
urlpatterns = [
    path("", views.board, name="board"),
    path("<int:volunteer_id>/", views.volunteer_records, name="records"),
    path("<int:volunteer_id>/records/new/", views.record_add, name="record_add"),
    path("<int:volunteer_id>/trainings/new/", views.training_add, name="training_add"),
    path("<int:volunteer_id>/awards/new/", views.award_add, name="award_add"),
    path("<int:volunteer_id>/evaluations/new/", views.evaluation_add, name="evaluation_add"),
    path("<int:volunteer_id>/certificates/new/", views.certificate_issue, name="certificate_issue"),
    path("records/<int:service_record_id>/confirm/", views.record_confirm, name="record_confirm"),
    path("certificates/<int:certificate_id>.pdf", views.certificate_download, name="certificate_pdf"),
]
