from django.urls import path

from fieldwork import views

app_name = "fieldwork"

urlpatterns = [
    path("", views.app, name="app"),
    path("data/", views.data, name="data"),
    path("visits/", views.send, name="send"),
    path("sw.js", views.service_worker, name="sw"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("storage/", views.storage, name="storage"),
    path("storage/days/", views.policy, name="policy"),
]
