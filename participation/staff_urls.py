from django.urls import path

from participation import staff_views as v

app_name = "participation_staff"

# Each queue's items by their own keyword: one kind of record per URL keyword.
KEYWORDS = {
    "applications": "volunteer_application_id",
    "requests": "volunteer_request_id",
    "hours": "hours_report_id",
    "deliveries": "wish_claim_id",
    "enterprises": "enterprise_claim_id",
}

urlpatterns = [path("", v.index, name="index")]
for key, keyword in KEYWORDS.items():
    urlpatterns += [
        path(f"{key}/", v.queue_view(key), name=key),
        path(f"{key}/<int:{keyword}>/", v.detail_view(key), name=f"{key}_detail"),
        path(f"{key}/<int:{keyword}>/accept/", v.decide_view(key, True), name=f"{key}_accept"),
        path(f"{key}/<int:{keyword}>/decline/", v.decide_view(key, False), name=f"{key}_decline"),
    ]
urlpatterns.append(path("deliveries/<int:wish_claim_id>/photo/", v.delivery_photo, name="delivery_photo"))
