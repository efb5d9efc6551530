from django.urls import path

from participation import portal_views as v

app_name = "participation_portal"

urlpatterns = [
    path("volunteer/", v.volunteer_home, name="volunteer"),
    path("volunteer/register/", v.register, name="register"),
    path("volunteer/activities/", v.activities, name="activities"),
    path("volunteer/activities/<int:activity_id>/signup/", v.activity_signup, name="activity_signup"),
    path("volunteer/activities/<int:activity_id>/hours/", v.activity_hours, name="activity_hours"),
    path("volunteer/tasks/", v.tasks, name="tasks"),
    path("volunteer/tasks/<int:volunteer_task_id>/signup/", v.task_signup, name="task_signup"),
    path("volunteer/tasks/<int:volunteer_task_id>/hours/", v.task_hours, name="task_hours"),
    path("volunteer/signin/", v.signin, name="signin"),
    path("volunteer/records/", v.records, name="records"),
    path("volunteer/records/<int:service_record_id>/fix/", v.record_fix, name="record_fix"),
    path("volunteer/details/", v.details, name="details"),
    path("volunteer/certificates/request/", v.certificate_request, name="certificate_request"),
    path("volunteer/certificates/<int:certificate_id>.pdf", v.certificate_download, name="certificate_pdf"),
    path("wishes/", v.wishes, name="wishes"),
    path("wishes/<int:wish_id>/claim/", v.wish_claim, name="wish_claim"),
    path("giving/", v.giving_home, name="giving"),
    path("giving/<int:wish_claim_id>/delivered/", v.deliver, name="deliver"),
    path("giving/enterprise/", v.enterprise, name="enterprise"),
]
