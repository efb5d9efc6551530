from django.urls import path

from portal import views

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
]
