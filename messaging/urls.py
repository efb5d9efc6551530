from django.urls import path

from messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.delivery_list, name="delivery_list"),
    path("robots/", views.robot_list, name="robot_list"),
    path("robots/<int:station_id>/", views.robot_edit, name="robot_edit"),
    path("push/", views.push_page, name="push"),
    path("push/subscription/", views.push_subscription, name="push_subscription"),
]
