from django.urls import path

from werkbrug.exchange import feedback_views as views

app_name = "feedback"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("sent/", views.sent, name="sent"),
    path("<int:pk>/", views.feedback_detail, name="detail"),
    path("trajectories/<int:pk>/new/", views.feedback_create, name="create"),
    path("trajectories/<int:pk>/summary.pdf", views.summary_pdf, name="summary_pdf"),
]
