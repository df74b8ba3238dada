from django.urls import path

from werkbrug.satisfaction import views

app_name = "satisfaction"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/questions/<int:question_pk>/remove/", views.question_remove, name="question_remove"),
    path("<int:pk>/open/", views.survey_open, name="open"),
    path("<int:pk>/close/", views.survey_close, name="close"),
    path("<int:pk>/client-links/", views.client_links, name="client_links"),
    # The anonymous links: /satisfaction/answer/<token>/ (the token is the only key).
    path("answer/<str:token>/", views.answer, name="answer"),
    path("thanks/", views.thanks, name="thanks"),
]
