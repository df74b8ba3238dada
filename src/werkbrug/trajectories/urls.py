from django.urls import path

from werkbrug.trajectories import action_views, list_views, views

app_name = "trajectories"

urlpatterns = [
    path("caseload/", list_views.caseload, name="caseload"),
    path("capacity/", list_views.capacity, name="capacity"),
    path("capacity/coaches/<int:user_pk>/", list_views.coach_trajectories, name="coach_trajectories"),
    path("handovers/", list_views.handovers, name="handovers"),
    path("handovers/proposed/", list_views.handovers_proposed, name="handovers_proposed"),
    path("<int:pk>/", views.trajectory_detail, name="detail"),
    path("<int:pk>/contacts/", views.contact_list, name="contacts"),
    path("<int:pk>/contacts/new/", action_views.contact_create, name="contact_create"),
    path("<int:pk>/contacts/quick/", action_views.quick_contact, name="quick_contact"),
    path("<int:pk>/phase/", action_views.phase_change, name="phase"),
    path("<int:pk>/ladder/new/", action_views.ladder_create, name="ladder_create"),
    path("<int:pk>/goals/new/", action_views.goal_create, name="goal_create"),
    path("<int:pk>/goals/<int:goal_pk>/done/", action_views.goal_done, name="goal_done"),
    path("<int:pk>/outcomes/new/", action_views.outcome_create, name="outcome_create"),
    path("<int:pk>/outcomes/<int:outcome_pk>/verify/", action_views.outcome_verify, name="outcome_verify"),
    path("<int:pk>/pause/", action_views.pause, name="pause"),
    path("<int:pk>/resume/", action_views.resume, name="resume"),
    path("<int:pk>/close/", action_views.close, name="close"),
    path("<int:pk>/reopen/", action_views.reopen, name="reopen"),
    path("<int:pk>/coach/", action_views.coach_change, name="coach_change"),
    path("<int:pk>/care-partner/", action_views.care_partner_add, name="care_partner_add"),
    path("<int:pk>/handovers/new/", action_views.handover_create, name="handover_create"),
    path(
        "<int:pk>/handovers/<int:handover_pk>/withdraw/",
        action_views.handover_withdraw,
        name="handover_withdraw",
    ),
    path(
        "<int:pk>/handovers/<int:handover_pk>/accept/", action_views.handover_accept, name="handover_accept"
    ),
    path(
        "<int:pk>/handovers/<int:handover_pk>/decline/",
        action_views.handover_decline,
        name="handover_decline",
    ),
]

# Mounted under the referrals namespace by werkbrug/urls.py.
referral_urlpatterns = [
    path("<int:pk>/accept/", action_views.accept_referral, name="accept"),
]
