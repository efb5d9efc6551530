from django.urls import path

from contracts import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="contract_list"),
    path("new/", views.contract_create, name="contract_create"),
    path("<int:contract_id>/", views.contract_detail, name="contract_detail"),
    path("<int:contract_id>/stations/<int:station_id>/targets/", views.targets_edit, name="targets_edit"),
    path("<int:contract_id>/stations/<int:station_id>/kpi/<slug:kpi>/", views.kpi_records, name="kpi_records"),
]
