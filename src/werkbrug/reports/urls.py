from django.urls import path

from werkbrug.reports import agreements_views, published_views, research_views, views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("research/", research_views.page, name="research"),
    path("research-export.csv", research_views.export, name="research_export"),
    path("research/prepare/", research_views.prepare_export, name="research_prepare"),
    path("research-codebook.csv", research_views.codebook, name="research_codebook"),
    path("agreements/", agreements_views.agreement_list, name="agreements"),
    path("agreements/new/", agreements_views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/end/", agreements_views.agreement_end, name="agreement_end"),
    path("published/", published_views.published_list, name="published_list"),
    path("published/<int:pk>/", published_views.published, name="published"),
    path("<slug:slug>/publish/", published_views.publish, name="publish"),
    path("<slug:slug>/", views.report, name="report"),
]
