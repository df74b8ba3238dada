from django.urls import path

from werkbrug.api import views

app_name = "api"

urlpatterns = [
    path("api-tokens/", views.tokens, name="tokens"),
    path("api-tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
