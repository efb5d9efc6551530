from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:enterprise_id>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:enterprise_id>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:enterprise_id>/offers/new/", views.offer_add, name="offer_add"),
    path("offers/<int:offer_id>/remove/", views.offer_remove, name="offer_remove"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:organisation_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/new/", views.entry_create, name="entry_create"),
    path("ledger/<int:ledger_entry_id>/edit/", views.entry_edit, name="entry_edit"),
]
