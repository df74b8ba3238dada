from django.urls import path

from werkbrug.teams import item_views, manage_views, meeting_views, series_views, views

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
    path("<int:team_pk>/meetings/new/", meeting_views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/attendance/", meeting_views.attendance, name="attendance"),
    path("meetings/<int:pk>/agenda/", meeting_views.agenda_refresh, name="agenda_refresh"),
    # One agenda item: its page with the minutes, guests, the decision, actions.
    path("items/<int:pk>/minutes/", item_views.item_minutes, name="item_minutes"),
    path("items/<int:pk>/guests/new/", item_views.invite, name="invite"),
    path("items/<int:pk>/guests/<int:guest_pk>/remove/", item_views.uninvite, name="uninvite"),
    path("items/<int:pk>/decision/", item_views.decide, name="decide"),
    path("items/<int:pk>/actions/new/", item_views.action_create, name="action_create"),
    path("actions/<int:pk>/done/", item_views.action_done, name="action_done"),
    # Team management (network admin).
    path("manage/", manage_views.manage, name="manage"),
    path("manage/new/", manage_views.team_create, name="team_create"),
    path("manage/<int:pk>/", manage_views.team_edit, name="team_edit"),
    path("manage/<int:pk>/members/new/", manage_views.member_add, name="member_add"),
    path("manage/<int:pk>/members/<int:member_pk>/remove/", manage_views.member_remove, name="member_remove"),
    # The recurring rule (network admin) and the team's calendar feed (members).
    path("manage/<int:pk>/series/", series_views.series_edit, name="series"),
    path("manage/<int:pk>/series/exceptions/new/", series_views.exception_add, name="exception_add"),
    path(
        "manage/<int:pk>/series/exceptions/<int:exception_pk>/remove/",
        series_views.exception_remove,
        name="exception_remove",
    ),
    path("<int:pk>/calendar.ics", series_views.team_calendar, name="calendar"),
]
