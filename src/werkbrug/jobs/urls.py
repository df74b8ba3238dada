from django.urls import path

from werkbrug.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("downloads/<int:pk>/", views.prepared, name="prepared"),
    path("downloads/<int:pk>/file/", views.download, name="download"),
]
