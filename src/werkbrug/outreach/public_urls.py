"""The short links on the posters: /b/<code>/ is a site's public booking page."""

from django.urls import path

from werkbrug.outreach import public_views

app_name = "outreach_public"

urlpatterns = [
    path("<str:code>/", public_views.book, name="book"),
    path("<str:code>/thanks/", public_views.thanks, name="thanks"),
]
