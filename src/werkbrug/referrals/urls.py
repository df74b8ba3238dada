from django.urls import path

from werkbrug.referrals import views

app_name = "referrals"

# referrals:accept is declared with the trajectory it starts (trajectories.urls.referral_urlpatterns);
# werkbrug/urls.py mounts both lists under this namespace.
urlpatterns = [
    path("", views.my_referrals, name="mine"),
    path("inbox/", views.inbox, name="inbox"),
    path("waiting/", views.waiting_lists, name="waiting"),
    path("suggestion/", views.triage_suggestion, name="suggestion"),
    path("lines/", views.line_directory, name="lines"),
    path("new/<int:client_pk>/", views.referral_create, name="create"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/redirect/", views.redirect_to_line, name="redirect"),
    path("<int:pk>/waitlist/", views.waitlist, name="waitlist"),
    path("<int:pk>/case-team/", views.case_team, name="case_team"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/return/", views.return_to_screener, name="return"),
]
