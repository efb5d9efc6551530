from django.urls import path

from casework.timeline import timeline_view
from casework.views import activities, cases, groups, overview, signin

app_name = "casework"
urlpatterns = [
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/<int:case_id>/", cases.case_detail, name="case_detail"),
    path("cases/<int:case_id>/move/", cases.case_move, name="case_move"),
    path("cases/<int:case_id>/goals/new/", cases.goal_add, name="goal_add"),
    path("cases/<int:case_id>/services/plan/", cases.service_plan, name="service_plan"),
    path("cases/<int:case_id>/services/deliver/", cases.service_deliver, name="service_deliver"),
    path("cases/<int:case_id>/notes/new/", cases.note_add, name="note_add"),
    path("cases/<int:case_id>/files/new/", cases.attachment_add, name="attachment_add"),
    path("cases/<int:case_id>/transfer/", cases.case_transfer, name="case_transfer"),
    path("cases/<int:case_id>/referrals/new/", cases.referral_create, name="referral_create"),
    path("goals/<int:goal_id>/assess/", cases.goal_assess, name="goal_assess"),
    path("files/<int:attachment_id>/", cases.attachment_download, name="attachment_download"),
    path("referrals/<int:referral_id>/", cases.referral_edit, name="referral_edit"),
    path("groups/", groups.group_list, name="group_list"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/<int:group_id>/", groups.group_detail, name="group_detail"),
    path("groups/<int:group_id>/members/new/", groups.member_add, name="member_add"),
    path("groups/<int:group_id>/sessions/new/", groups.session_add, name="session_add"),
    path("groups/<int:group_id>/scores/", groups.scores_edit, name="scores_edit"),
    path("sessions/<int:session_id>/attendance/", groups.attendance_edit, name="attendance_edit"),
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_create, name="activity_create"),
    path("activities/<int:activity_id>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:activity_id>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/signups/new/", activities.signup_add, name="signup_add"),
    path("activities/<int:activity_id>/complete/", activities.activity_complete, name="activity_complete"),
    path("activities/<int:activity_id>/cancel/", activities.activity_cancel, name="activity_cancel"),
    path("activities/<int:activity_id>/photos/new/", activities.photo_add, name="photo_add"),
    path("activities/<int:activity_id>/qr.svg", signin.activity_qr, name="activity_qr"),
    path("activities/<int:activity_id>/poster/", signin.activity_poster, name="activity_poster"),
    path("activities/<int:activity_id>/signin/", signin.signin_switch, name="signin_switch"),
    path("photos/<int:photo_id>/", activities.photo_view, name="photo_view"),
    path("people/<int:person_id>/timeline/", timeline_view, name="person_timeline"),
    path("", overview.services_overview, name="overview"),
]
