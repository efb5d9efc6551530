from django.urls import path

from matching import views

app_name = "wishes_public"

urlpatterns = [path("", views.public_wishes, name="list")]
