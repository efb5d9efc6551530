from django.urls import path

from grading import views, views_board, views_responsible, views_visits

app_name = "grading"
urlpatterns = [
    path("followups/", views.followups, name="followups"),
    path("person/<int:person_id>/", views.person, name="person"),
    path("person/<int:person_id>/row/", views.followup_row, name="followup_row"),
    path("person/<int:person_id>/visit/", views.visit_new, name="visit_new"),
    path("person/<int:person_id>/grade/", views.person_grade, name="person_grade"),
    path("person/<int:person_id>/override/", views.card_override, name="card_override"),
    path("person/<int:person_id>/event/", views.event_new, name="event_new"),
    path("person/<int:person_id>/assign/", views.assign, name="assign"),
    path("person/<int:person_id>/assess/", views.assessment_new, name="assessment_new"),
    path("visits/<int:visit_id>/", views_visits.visit_detail, name="visit_detail"),
    path("visits/<int:visit_id>/signature.png", views_visits.visit_signature, name="visit_signature"),
    path("visits/<int:visit_id>/record.pdf", views_visits.visit_pdf, name="visit_pdf"),
    path("visits/photos/<int:visit_photo_id>/", views_visits.visit_photo, name="visit_photo"),
    path("visits/print/", views_visits.visits_print, name="visits_print"),
    path("visits/settings/", views_visits.visit_settings, name="visit_settings"),
    path("board/", views_board.board, name="board"),
    path("board/people/", views_board.board_people, name="board_people"),
    path("rates/", views_board.rates, name="rates"),
    path("rates/unvisited/", views_board.rates_unvisited, name="rates_unvisited"),
    path("rules/", views_board.rules, name="rules"),
    path("rules/new/", views_board.ruleset_new, name="ruleset_new"),
    path("rules/regrade/", views_board.regrade, name="regrade"),
    path("policy/", views_board.policy, name="policy"),
    path("responsible/", views_responsible.responsible_rules, name="responsible_rules"),
    path("responsible/<int:station_id>/", views_responsible.responsible_rule, name="responsible_rule"),
    path("instruments/", views_board.instruments, name="instruments"),
    path(
        "instruments/<int:instrument_id>/new-version/",
        views_board.instrument_version_new,
        name="instrument_version_new",
    ),
]
