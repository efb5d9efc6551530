from django.urls import path

from contracts import purchaser_views, views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="contract_list"),
    path("new/", views.contract_create, name="contract_create"),
    path("<int:contract_id>/", views.contract_detail, name="contract_detail"),
    path("<int:contract_id>/stations/<int:station_id>/targets/", views.targets_edit, name="targets_edit"),
    path("<int:contract_id>/stations/<int:station_id>/kpi/<slug:kpi>/", views.kpi_records, name="kpi_records"),
    path("<int:contract_id>/edit/", purchaser_views.contract_edit, name="contract_edit"),
    path("<int:contract_id>/file/", purchaser_views.contract_file, name="contract_file"),
    path("<int:contract_id>/file/view/", purchaser_views.contract_file_view, name="contract_file_view"),
    path("<int:contract_id>/tranches/new/", purchaser_views.tranche_add, name="tranche_add"),
    path("<int:contract_id>/tranches/<int:tranche_id>/", purchaser_views.tranche_edit, name="tranche_edit"),
    path("<int:contract_id>/evaluations/new/", purchaser_views.evaluation_add, name="evaluation_add"),
    path(
        "evaluations/<int:contract_evaluation_id>/file/",
        purchaser_views.evaluation_file_view,
        name="evaluation_file_view",
    ),
]
