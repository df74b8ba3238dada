from django.urls import path

from werkbrug.teams import dashboard_views, followup_views

app_name = "teamfollowup"

urlpatterns = [
    path("actions/", followup_views.my_actions, name="my_actions"),
    path("actions/<int:pk>/done/", followup_views.action_done, name="action_done"),
    path("teams/<int:team_pk>/actions/", followup_views.team_actions, name="team_actions"),
    path("teams/<int:team_pk>/dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("meetings/<int:pk>/meeting.ics", followup_views.meeting_calendar, name="meeting_ics"),
]
