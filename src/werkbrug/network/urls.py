from django.urls import path

from werkbrug.core.todo import todo

app_name = "network"

urlpatterns = [
    path("", todo, name="home"),
]
