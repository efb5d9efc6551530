from django.urls import path

from portal import staff_views, survey_views

app_name = "portal_staff"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("help/<int:help_request_id>/", staff_views.help_detail, name="help_detail"),
    path("help/<int:help_request_id>/accept/", staff_views.help_accept, name="help_accept"),
    path("help/<int:help_request_id>/decline/", staff_views.help_decline, name="help_decline"),
    path("help/<int:help_request_id>/photo/", staff_views.help_photo, name="help_photo"),
    path("feedback/<int:portal_feedback_id>/", staff_views.feedback_detail, name="feedback_detail"),
    path("feedback/<int:portal_feedback_id>/reply/", staff_views.feedback_reply, name="feedback_reply"),
    path("surveys/<int:survey_id>/link/", survey_views.survey_link, name="survey_link"),
    path("surveys/<int:survey_id>/qr.svg", survey_views.survey_qr, name="survey_qr"),
]
