from django.urls import path

from werkbrug.outreach import action_views, feed_views, path_action_views, path_views, views, zitdag_views

app_name = "outreach"

urlpatterns = [
    path("", views.site_list, name="sites"),
    path("new/", action_views.site_new, name="site_new"),
    path("week/", views.my_week, name="week"),
    path("bookings/", views.pending_bookings, name="bookings"),
    path("calendar.ics", views.calendar, name="calendar"),
    path("calendar/", feed_views.feed_page, name="feed_page"),
    path("calendar/new/", feed_views.feed_create, name="feed_create"),
    path("calendar/stop/", feed_views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", feed_views.feed, name="feed"),
    path("<int:pk>/", views.site_detail, name="site"),
    path("<int:pk>/edit/", action_views.site_edit, name="site_edit"),
    path("<int:pk>/steps/new/", action_views.step_new, name="step_new"),
    path("<int:pk>/agreements/new/", action_views.agreement_new, name="agreement_new"),
    path(
        "<int:pk>/agreements/<int:agreement_pk>/document/",
        views.agreement_document,
        name="agreement_document",
    ),
    path("<int:pk>/hours/new/", action_views.hours_new, name="hours_new"),
    path("<int:pk>/appointments/new/", action_views.appointment_new, name="appointment_new"),
    path("<int:pk>/poster/", views.poster, name="poster"),
    path("<int:pk>/poster.pdf", views.poster_pdf, name="poster_pdf"),
    path("hours/<int:pk>/cancel-date/", action_views.hours_cancel, name="hours_cancel"),
    path("appointments/<int:pk>/state/", action_views.appointment_state, name="appointment_state"),
    path("bookings/<int:pk>/confirm/", action_views.booking_confirm, name="booking_confirm"),
    path("bookings/<int:pk>/reject/", action_views.booking_reject, name="booking_reject"),
    path("<int:pk>/sessions/new/", path_action_views.session_new, name="session_new"),
    path("<int:pk>/paths/new/", path_action_views.path_new, name="path_new"),
    path(
        "appointments/<int:pk>/path/", path_action_views.path_from_appointment, name="path_from_appointment"
    ),
    path("paths/", path_views.path_list, name="paths"),
    path("paths/<int:pk>/", path_views.path_detail, name="path"),
    path("paths/<int:pk>/conversations/new/", path_action_views.conversation_new, name="conversation_new"),
    path("paths/<int:pk>/decision/", path_action_views.decision, name="decision"),
    path("paths/<int:pk>/waiting/", path_action_views.waiting, name="waiting"),
    path("paths/<int:pk>/close/", path_action_views.close, name="path_close"),
    path("paths/<int:pk>/referrals/new/", path_action_views.referral_new, name="referral_new"),
    path("paths/<int:pk>/care-partner/", path_action_views.care_partner, name="care_partner"),
    path("referrals/<int:pk>/verify/", path_action_views.verify, name="referral_verify"),
    path("projects/", path_views.project_list, name="projects"),
    path("projects/new/", path_action_views.project_new, name="project_new"),
    path("projects/<int:pk>/", path_views.project_detail, name="project"),
    path("projects/<int:pk>/sites/new/", path_action_views.project_site, name="project_site"),
    path("projects/<int:pk>/coaches/new/", path_action_views.project_coach, name="project_coach"),
    path("projects/<int:pk>/commitment/", path_action_views.commitment, name="commitment"),
    path("financing/", path_views.financing, name="financing"),
    path("zitdagen/", zitdag_views.zitdag_list, name="zitdagen"),
    path("zitdagen/trajectories/<int:pk>/contact/", zitdag_views.zitdag_contact, name="zitdag_contact"),
    path("financing/edit/", path_action_views.financing_rule, name="financing_edit"),
]
