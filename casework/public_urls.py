from django.urls import path

from casework.views import signin

app_name = "signin_public"

urlpatterns = [path("", signin.signin_page, name="page")]
