from django.urls import path  # noqa: F401

app_name = "referrals_public"

urlpatterns: list = []
