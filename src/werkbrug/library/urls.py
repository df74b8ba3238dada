from django.urls import path

from werkbrug.library import action_views, views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("documents/new/", action_views.document_new, name="document_new"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/versions/new/", action_views.version_new, name="version_new"),
    path("documents/<int:pk>/versions/<int:number>/download/", views.download, name="download"),
    path("draaiboek/", views.draaiboek, name="draaiboek"),
    path("draaiboek/versions/<int:number>/", views.draaiboek_version, name="draaiboek_version"),
    path("draaiboek/indications/new/", action_views.indication_new, name="indication_new"),
    path("draaiboek/indications/<slug:code>/edit/", action_views.indication_edit, name="indication_edit"),
    path("draaiboek/drafts/<int:pk>/publish/", action_views.publish, name="publish"),
    path("notices/<int:pk>/dismiss/", action_views.dismiss, name="dismiss"),
]
