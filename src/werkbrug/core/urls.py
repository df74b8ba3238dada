from django.urls import path

from werkbrug.core import metrics, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("switch/", views.switch_membership, name="switch"),
    path("choose/<slug:name>/", views.choose, name="choose"),
]
