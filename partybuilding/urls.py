from django.urls import path

from partybuilding import views

app_name = "partybuilding"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:party_org_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:agreement_id>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:agreement_id>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:agreement_id>/commitments/new/", views.commitment_create, name="commitment_create"),
    path("commitments/<int:commitment_id>/deliver/", views.commitment_deliver, name="delivery_add"),
]
