"""The page of a person's API tokens (the API itself is mounted at api/v1/)."""

from django.urls import path

from barometre.web.api import views

urlpatterns = [
    path("compte/jetons-api/", views.tokens, name="api_tokens"),
    path(
        "compte/jetons-api/<int:token_id>/revoquer/",
        views.token_revoke_view,
        name="api_token_revoke",
    ),
]
