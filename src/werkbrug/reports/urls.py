from django.urls import path

from werkbrug.reports import research, views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("research-export.csv", research.export, name="research_export"),
    path("<slug:slug>/", views.report, name="report"),
]
