from django.urls import path

from werkbrug.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<slug:token>/run/", views.confirm, name="confirm"),
    path("template.xlsx", views.template_xlsx, name="template_xlsx"),
    path("template.csv", views.template_csv, name="template_csv"),
]
