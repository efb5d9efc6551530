from django.urls import path

from orgs import views, views_profiles

app_name = "orgs"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("<int:parent_id>/new/", views.unit_create, name="unit_create"),
    path("<int:unit_id>/profile/", views_profiles.profile_edit, name="profile_edit"),
    path("characteristics/", views_profiles.trait_list, name="trait_list"),
    path("characteristics/new/", views_profiles.trait_create, name="trait_create"),
    path("characteristics/<int:trait_id>/edit/", views_profiles.trait_edit, name="trait_edit"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:agency_id>/edit/", views.agency_edit, name="agency_edit"),
]
