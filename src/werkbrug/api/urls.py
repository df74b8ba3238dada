from django.urls import path

from werkbrug.core.todo import todo

app_name = "api"

urlpatterns = [
    path("api-tokens/", todo, name="tokens"),
]
