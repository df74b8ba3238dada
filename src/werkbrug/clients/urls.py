from django.urls import path

from werkbrug.clients import views

app_name = "clients"

# clients:detail and clients:export are declared in dossier.urls; werkbrug/urls.py mounts both here.

urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_create, name="create"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/consents/new/", views.consent_create, name="consent_create"),
    path("<int:pk>/consents/<int:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path(
        "<int:pk>/consents/<int:consent_pk>/signed-form.pdf", views.consent_evidence, name="consent_evidence"
    ),
    path("<int:pk>/consents/<int:consent_pk>/receipt.pdf", views.consent_receipt, name="consent_receipt"),
    path("<int:pk>/access-log/", views.access_log, name="access_log"),
    path("<int:pk>/access-report.pdf", views.access_report, name="access_report"),
]
