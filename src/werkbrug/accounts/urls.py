from django.urls import path

from werkbrug.accounts import password_views, views

app_name = "accounts"

urlpatterns = [
    path("two-factor/", views.status, name="two_factor"),
    path("two-factor/setup/", views.setup, name="setup"),
    path("two-factor/verify/", views.verify, name="verify"),
    path("two-factor/reset/<int:pk>/", views.reset, name="reset"),
    path("password-reset/", password_views.password_reset, name="password_reset"),
    path("password-reset/sent/", password_views.password_reset_sent, name="password_reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        password_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", password_views.password_reset_complete, name="password_reset_complete"),
]
