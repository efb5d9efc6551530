from django.urls import path

from home import views

# The namespace stays "core" (core:home): templates, LOGIN_REDIRECT_URL and
# bookmarks named the home page before it moved out of the kernel.
app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
]
