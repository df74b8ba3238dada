from django.urls import path

from werkbrug.outreach import action_views, views

app_name = "outreach"

urlpatterns = [
    path("", views.site_list, name="sites"),
    path("new/", action_views.site_new, name="site_new"),
    path("week/", views.my_week, name="week"),
    path("bookings/", views.pending_bookings, name="bookings"),
    path("calendar.ics", views.calendar, name="calendar"),
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
]
