from django.urls import path

from archive import views

app_name = "archive"

urlpatterns = [
    path("", views.documents, name="documents"),
    path("retention/", views.retention_due, name="retention_due"),
    path("new/", views.document_create, name="document_create"),
    path("<int:archive_document_id>/", views.document_detail, name="document_detail"),
    path("<int:archive_document_id>/edit/", views.document_edit, name="document_edit"),
    path("<int:archive_document_id>/replace/", views.document_replace, name="document_replace"),
    path("<int:archive_document_id>/retire/", views.document_retire, name="document_retire"),
    path("<int:archive_document_id>/delete/", views.document_delete, name="document_delete"),
    path("<int:archive_document_id>/file/", views.document_file, name="document_file"),
    path("versions/<int:archive_version_id>/file/", views.version_file, name="version_file"),
    path("self-evaluations/<int:evaluation_id>/evidence/add/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:archive_evidence_id>/remove/", views.evidence_remove, name="evidence_remove"),
]
