from django.urls import path

from werkbrug.exchange import profile_views

app_name = "exchange"

urlpatterns = [
    path("clients/<int:client_pk>/profile/", profile_views.profile, name="profile"),
    path("clients/<int:client_pk>/profile.pdf", profile_views.profile_pdf, name="profile_pdf"),
    path("clients/<int:client_pk>/profile/<slug:section>/", profile_views.profile_edit, name="profile_edit"),
    path(
        "clients/<int:client_pk>/profile/<slug:section>/history/",
        profile_views.profile_history,
        name="profile_history",
    ),
]
