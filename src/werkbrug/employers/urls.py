from django.urls import path

from werkbrug.employers import action_views, views, week_views

app_name = "employers"

urlpatterns = [
    path("", views.employer_list, name="list"),
    path("new/", action_views.create, name="create"),
    path("week/", week_views.week, name="week"),
    path("week/review/<int:coach>/", week_views.review, name="review"),
    path(
        "trajectory/<int:trajectory>/contact/", action_views.log_trajectory_contact, name="trajectory_contact"
    ),
    path("<int:pk>/", views.employer_detail, name="detail"),
    path("<int:pk>/edit/", action_views.edit, name="edit"),
    path("<int:pk>/people/new/", action_views.add_person, name="person_add"),
    path("<int:pk>/people/<int:person>/edit/", action_views.edit_person, name="person_edit"),
    path("<int:pk>/people/<int:person>/remove/", action_views.remove_person, name="person_remove"),
    path("<int:pk>/contacts/new/", action_views.log_contact, name="contact_add"),
    path("<int:pk>/openings/new/", action_views.add_opening, name="opening_add"),
    path("<int:pk>/openings/<int:opening>/close/", action_views.close_opening, name="opening_close"),
    path("<int:pk>/openings/<int:opening>/introduce/", action_views.introduce, name="introduce"),
    path("<int:pk>/introductions/<int:introduction>/outcome/", action_views.set_outcome, name="outcome"),
]
