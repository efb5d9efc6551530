from django.urls import URLPattern

app_name = "partybuilding"

urlpatterns: list[URLPattern] = []
