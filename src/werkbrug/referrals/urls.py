from django.urls import path

from werkbrug.core.todo import todo

app_name = "referrals"

urlpatterns = [
    path("", todo, name="mine"),
    path("inbox/", todo, name="inbox"),
    path("waiting/", todo, name="waiting"),
    path("new/<int:client_pk>/", todo, name="create"),
    path("<int:pk>/", todo, name="detail"),
]
