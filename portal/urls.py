from django.urls import path

from portal import resident_views, survey_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("login/code/", views.code, name="code"),
    path("login/welcome/", views.welcome, name="welcome"),
    path("logout/", views.logout, name="logout"),
    path("me/", views.me, name="me"),
    path("privacy/", views.privacy, name="privacy"),
    path("settings/text/", views.text_size, name="text_size"),
    path("help/new/", resident_views.help_new, name="help_new"),
    path("feedback/new/", resident_views.feedback_new, name="feedback_new"),
    path("track/", resident_views.track_list, name="track_list"),
    path("track/<str:tracking_number>/", resident_views.track_detail, name="track_detail"),
    path("surveys/", survey_views.survey_answer, name="survey_answer"),
]
