from django.urls import path

from werkbrug.fidelity import action_views, views

app_name = "fidelity"

urlpatterns = [
    path("", views.index, name="index"),
    path("now/", views.live, name="live"),
    path("new/", action_views.open_review, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/score/<str:item>/<str:column>/", action_views.score, name="score"),
    path("<int:pk>/finalise/", action_views.finalise, name="finalise"),
    path("<int:pk>/refresh/", action_views.refresh, name="refresh"),
    path("<int:pk>/rows/<str:figure>/", views.rows, name="rows"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/xlsx/", views.xlsx, name="xlsx"),
]
