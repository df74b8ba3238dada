from django.urls import path

from werkbrug.core.todo import todo

app_name = "trajectories"

urlpatterns = [
    path("caseload/", todo, name="caseload"),
    path("capacity/", todo, name="capacity"),
    path("handovers/", todo, name="handovers"),
    path("<int:pk>/", todo, name="detail"),
]
