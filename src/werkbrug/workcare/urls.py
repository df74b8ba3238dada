from django.urls import path

from werkbrug.workcare import action_views, config_views, views

app_name = "workcare"

urlpatterns = [
    path("settings/", config_views.settings_page, name="settings"),
    path("settings/subsidy/", config_views.subsidy_rate, name="settings_subsidy"),
    path("settings/benefit-ceiling/", config_views.benefit_ceiling, name="settings_ceiling"),
    path("settings/allowance-ceiling/", config_views.allowance_ceiling, name="settings_allowance"),
    path("workshops/", views.workshop_list, name="workshops"),
    path("workshops/new/", action_views.workshop_new, name="workshop_new"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop"),
    path("workshops/<int:pk>/edit/", action_views.workshop_edit, name="workshop_edit"),
    path("workshops/<int:pk>/subsidy/", views.statement, name="statement"),
    path("workshops/<int:pk>/hours/<int:year>/<int:month>/", action_views.grid, name="grid"),
    path("workshops/<int:pk>/hours/<int:year>/<int:month>/hours.xlsx", views.hours_xlsx, name="hours_xlsx"),
    path("workshops/<int:pk>/hours/<int:year>/<int:month>/hours.pdf", views.hours_pdf, name="hours_pdf"),
    path("trajectories/<int:pk>/benefit/", action_views.benefit, name="benefit"),
    path("trajectories/<int:pk>/stages/new/", action_views.stage_new, name="stage_new"),
    path(
        "trajectories/<int:pk>/stages/<int:stage_pk>/admin-hours/",
        action_views.stage_admin,
        name="stage_admin",
    ),
    path("trajectories/<int:pk>/documents/new/", action_views.document, name="document"),
    path("trajectories/<int:pk>/agreements/new/", action_views.agreement_new, name="agreement_new"),
    path("trajectories/<int:pk>/agreements/<int:agreement_pk>/", views.agreement_detail, name="agreement"),
    path(
        "trajectories/<int:pk>/agreements/<int:agreement_pk>/edit/",
        action_views.agreement_edit,
        name="agreement_edit",
    ),
    path(
        "trajectories/<int:pk>/agreements/<int:agreement_pk>/sign/",
        action_views.agreement_sign,
        name="agreement_sign",
    ),
    path(
        "trajectories/<int:pk>/agreements/<int:agreement_pk>/steps/new/",
        action_views.milestone,
        name="milestone",
    ),
    path(
        "trajectories/<int:pk>/agreements/<int:agreement_pk>/print.pdf",
        views.agreement_pdf,
        name="agreement_pdf",
    ),
    path(
        "trajectories/<int:pk>/agreements/<int:agreement_pk>/document/",
        views.agreement_document,
        name="agreement_document",
    ),
]
