from django.urls import path

from werkbrug.teams import views

app_name = "teams"

urlpatterns = [
    # The actor's teams and a team's page (fixed members).
    path("", views.team_list, name="list"),
    path("<int:pk>/", views.team_detail, name="detail"),
    # Registering a case: choose the team, then the form (?client=<id>[&referral=<id>]).
    path("cases/new/", views.case_start, name="case_start"),
    path("<int:team_pk>/cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    # Meetings.
    path("<int:team_pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/agenda/", views.agenda_refresh, name="agenda_refresh"),
    # One agenda item: its page with the minutes, guests, the decision, actions.
    path("items/<int:pk>/minutes/", views.item_minutes, name="item_minutes"),
    path("items/<int:pk>/guests/new/", views.invite, name="invite"),
    path("items/<int:pk>/guests/<int:guest_pk>/remove/", views.uninvite, name="uninvite"),
    path("items/<int:pk>/decision/", views.decide, name="decide"),
    path("items/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    # Team management (network admin).
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.team_create, name="team_create"),
    path("manage/<int:pk>/", views.team_edit, name="team_edit"),
    path("manage/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("manage/<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="member_remove"),
]
