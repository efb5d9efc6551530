from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("<int:project_id>/", views.project_detail, name="project_detail"),
    path("<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("<int:project_id>/budget/new/", views.budget_line_add, name="budget_line_add"),
    path("<int:project_id>/budget/<int:line_id>/", views.budget_line_edit, name="budget_line_edit"),
    path("<int:project_id>/expenditures/new/", views.expenditure_add, name="expenditure_add"),
    path("<int:project_id>/report.<str:fmt>", views.project_report, name="project_report"),
    path("expenditures/<int:expenditure_id>/decide/", views.expenditure_decide, name="expenditure_decide"),
    path("expenditures/<int:expenditure_id>/receipt/", views.receipt_view, name="receipt_view"),
]
