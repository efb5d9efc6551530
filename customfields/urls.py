from django.urls import path

from customfields import views

app_name = "customfields"

urlpatterns = [
    path("", views.field_list, name="field_list"),
    path("new/", views.field_new, name="field_new"),
    path("<int:custom_field_id>/", views.field_edit, name="field_edit"),
]
