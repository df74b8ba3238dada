from django.urls import path

from werkbrug.groups import action_views, views

app_name = "groups"

urlpatterns = [
    path("", views.run_list, name="runs"),
    path("new/", action_views.run_create, name="run_create"),
    path("modules/", views.template_list, name="templates"),
    path("modules/new/", action_views.template_create, name="template_create"),
    path("modules/<int:pk>/phases/new/", action_views.phase_add, name="phase_add"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/participants/", views.participants, name="participants"),
    path("<int:pk>/enrol/", action_views.enrol, name="enrol"),
    path("<int:pk>/sessions/new/", action_views.session_add, name="session_add"),
    path("<int:pk>/sessions/<int:session>/attendance/", action_views.attendance, name="attendance"),
    path("<int:pk>/enrolments/<int:enrolment>/withdraw/", action_views.withdraw, name="withdraw"),
    path("<int:pk>/enrolments/<int:enrolment>/accept/", action_views.accept, name="accept"),
    path("<int:pk>/enrolments/<int:enrolment>/placement/", action_views.placement, name="placement"),
    path("<int:pk>/enrolments/<int:enrolment>/outcome/", action_views.outcome, name="outcome"),
]
