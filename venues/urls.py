from django.urls import path

from venues import views

app_name = "venues"

urlpatterns = [
    path("", views.index, name="index"),
    path("venue/<int:venue_id>/edit/", views.venue_edit, name="venue_edit"),
    path("venue/<int:venue_id>/rooms/new/", views.room_create, name="room_create"),
    path("rooms/<int:room_id>/", views.room_detail, name="room_detail"),
    path("rooms/<int:room_id>/edit/", views.room_edit, name="room_edit"),
    path("calendar/", views.calendar, name="calendar"),
    path("bookings/new/", views.booking_create, name="booking_create"),
    path("bookings/<int:booking_id>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:booking_id>/release/", views.booking_release, name="booking_release"),
    path("seasons/new/", views.season_create, name="season_create"),
    path("seasons/<int:season_id>/", views.season_detail, name="season_detail"),
    path("seasons/<int:season_id>/cancel/", views.season_cancel, name="season_cancel"),
]
