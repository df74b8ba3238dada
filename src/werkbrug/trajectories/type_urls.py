"""The trajectory types in the network settings (trajectories.type_views), under /network/."""

from django.urls import path

from werkbrug.trajectories import type_views

app_name = "trajectory_types"

urlpatterns = [
    path("", type_views.type_list, name="list"),
    path("<int:pk>/care-partner/", type_views.care_partner, name="care_partner"),
]
