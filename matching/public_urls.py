from django.urls import path

from matching import wish_views

app_name = "wishes_public"

urlpatterns = [path("", wish_views.public_wishes, name="list")]
