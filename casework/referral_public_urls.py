from django.urls import path

from casework.views import referral_public

app_name = "referrals_public"

urlpatterns = [path("", referral_public.answer_page, name="answer")]
