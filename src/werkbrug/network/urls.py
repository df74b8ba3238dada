from django.urls import path

from werkbrug.network import draaiboek_views, views

app_name = "network"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.org_list, name="org_list"),
    path("organisations/new/", views.org_create, name="org_create"),
    path("organisations/<int:pk>/edit/", views.org_edit, name="org_edit"),
    path("organisations/<int:pk>/active/", views.org_toggle, name="org_toggle"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/memberships/new/", views.membership_add, name="membership_add"),
    path(
        "users/<int:pk>/memberships/<int:membership_pk>/edit/",
        views.membership_edit,
        name="membership_edit",
    ),
    path(
        "users/<int:pk>/memberships/<int:membership_pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("lines/", views.line_list, name="line_list"),
    path("lines/new/", views.line_create, name="line_create"),
    path("lines/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path("sub-regions/", views.region_list, name="region_list"),
    path("sub-regions/new/", views.region_create, name="region_create"),
    path("sub-regions/<int:pk>/edit/", views.region_edit, name="region_edit"),
    path("settings/", views.settings_edit, name="settings"),
]
urlpatterns += [
    path(
        "draaiboek/indications/<slug:code>/remove/",
        draaiboek_views.indication_remove,
        name="indication_remove",
    ),
]
