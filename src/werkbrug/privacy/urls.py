from django.urls import path

from werkbrug.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("clients/<int:pk>/erase/", views.erase, name="erase"),
]
