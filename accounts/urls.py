from django.urls import path

from accounts import profile_views, session_views, views

app_name = "accounts"
urlpatterns = [
    path("account/login/", views.login_view, name="login"),
    path("account/logout/", views.logout_view, name="logout"),
    path("account/session/keepalive/", session_views.keepalive, name="keepalive"),
    path("account/password/", views.password_change_view, name="password_change"),
    path("account/verify/", views.otp_verify_view, name="otp_verify"),
    path("account/2fa/", views.totp_setup_view, name="totp_setup"),
    path("account/", views.security_view, name="security"),
    path("account/tokens/new/", views.api_token_create_view, name="token_create"),
    path("account/tokens/<int:token_id>/revoke/", views.api_token_revoke_view, name="token_revoke"),
    path("security/settings/", profile_views.security_settings, name="security_settings"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:user_id>/", views.staff_edit, name="staff_edit"),
    path("staff/<int:user_id>/unlock/", views.staff_unlock, name="staff_unlock"),
    path("staff/<int:user_id>/reset-password/", views.staff_reset_password, name="staff_reset_password"),
]
