from django.urls import path

from matching import task_views, type_views, views, wish_views

app_name = "matching"

urlpatterns = [
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/to-classify/", type_views.need_review, name="need_review"),
    path("needs/to-classify/map/", type_views.need_review_map, name="need_review_map"),
    path("needs/<int:need_id>/", views.need_detail, name="need_detail"),
    path("needs/<int:need_id>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:need_id>/close/", views.need_close, name="need_close"),
    path("needs/<int:need_id>/type/", type_views.need_type_set, name="need_type_set"),
    path("types/", type_views.type_list, name="type_list"),
    path("types/<int:need_type_id>/edit/", type_views.type_edit, name="type_edit"),
    path("resources/", views.offer_list, name="offer_list"),
    path("resources/new/", views.offer_create, name="offer_create"),
    path("resources/<int:resource_id>/edit/", views.offer_edit, name="offer_edit"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/new/", views.run_new, name="run_new"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("runs/<int:run_id>/unmet/", views.run_unmet, name="run_unmet"),
    path("runs/<int:run_id>/progress/", views.run_progress, name="run_progress"),
    path("tasks/", task_views.task_list, name="task_list"),
    path("tasks/<int:task_id>/", task_views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/start/", task_views.task_start, name="task_start"),
    path("tasks/<int:task_id>/cancel/", task_views.task_cancel, name="task_cancel"),
    path("wishes/", wish_views.wish_list, name="wish_list"),
    path("wishes/new/", wish_views.wish_create, name="wish_create"),
    path("wishes/stats/", wish_views.wish_stats_view, name="wish_stats"),
    path("wishes/<int:wish_id>/", wish_views.wish_detail, name="wish_detail"),
    path("wishes/<int:wish_id>/claim/", wish_views.wish_claim, name="wish_claim"),
    path("wishes/<int:wish_id>/fulfil/", wish_views.wish_fulfil, name="wish_fulfil"),
    path("wishes/<int:wish_id>/photo/", wish_views.wish_photo, name="wish_photo"),
]
