from django.urls import path

from werkbrug.trajectories import views

app_name = "trajectories"

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("capacity/", views.capacity, name="capacity"),
    path("capacity/coaches/<int:user_pk>/", views.coach_trajectories, name="coach_trajectories"),
    path("handovers/", views.handovers, name="handovers"),
    path("<int:pk>/", views.trajectory_detail, name="detail"),
    path("<int:pk>/contacts/", views.contact_list, name="contacts"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/contacts/quick/", views.quick_contact, name="quick_contact"),
    path("<int:pk>/phase/", views.phase_change, name="phase"),
    path("<int:pk>/ladder/new/", views.ladder_create, name="ladder_create"),
    path("<int:pk>/goals/new/", views.goal_create, name="goal_create"),
    path("<int:pk>/goals/<int:goal_pk>/done/", views.goal_done, name="goal_done"),
    path("<int:pk>/outcomes/new/", views.outcome_create, name="outcome_create"),
    path("<int:pk>/outcomes/<int:outcome_pk>/verify/", views.outcome_verify, name="outcome_verify"),
    path("<int:pk>/pause/", views.pause, name="pause"),
    path("<int:pk>/resume/", views.resume, name="resume"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/coach/", views.coach_change, name="coach_change"),
    path("<int:pk>/handovers/new/", views.handover_create, name="handover_create"),
    path("<int:pk>/handovers/<int:handover_pk>/withdraw/", views.handover_withdraw, name="handover_withdraw"),
    path("<int:pk>/handovers/<int:handover_pk>/accept/", views.handover_accept, name="handover_accept"),
    path("<int:pk>/handovers/<int:handover_pk>/decline/", views.handover_decline, name="handover_decline"),
]
