from django.urls import path

from werkbrug.ips import action_views, views

app_name = "ips"

urlpatterns = [
    path("trajectories/<int:pk>/", views.trajectory_jobs, name="trajectory"),
    path("trajectories/<int:pk>/jobs/new/", action_views.start, name="start"),
    path("trajectories/<int:pk>/jobs/<int:placement_pk>/change/", action_views.change, name="change"),
    path("trajectories/<int:pk>/jobs/<int:placement_pk>/end/", action_views.end, name="end"),
    path("trajectories/<int:pk>/income-plans/new/", action_views.income_plan, name="income_plan"),
    path("trajectories/<int:pk>/disclosure/new/", action_views.disclosure, name="disclosure"),
    path("trajectories/<int:pk>/dcm/", action_views.dcm, name="dcm"),
    path("trajectories/<int:pk>/dcm/steps/new/", action_views.return_step, name="return_step"),
]
