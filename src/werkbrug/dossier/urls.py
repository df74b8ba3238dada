"""Mounted under the clients namespace by werkbrug/urls.py: the routes keep their clients: names."""

from django.urls import path

from werkbrug.dossier import views

urlpatterns = [
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/export.json", views.client_export, name="export"),
]
