from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from barometre.web.api.api import api
from barometre.web.organisations.views import after_login
from barometre.web.public import downloads as public_downloads
from barometre.web.public import views as public_views

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("barometre.web.organisations.account_urls")),
    path("apres-connexion/", after_login, name="after_login"),
    path("repondre/", include("barometre.web.responses.urls")),
    path("operateur/", include("barometre.web.backoffice.urls")),
    path("barometre/", include("barometre.web.public.urls")),
    path("methode/", public_views.method, name="method"),
    path(
        "methode/questionnaire.yaml", public_views.method_questionnaire, name="method_questionnaire"
    ),
    path(
        "methode/questionnaire.xlsx",
        public_downloads.method_questionnaire_xlsform,
        name="method_questionnaire_xlsform",
    ),
    path(
        "methode/questionnaire.pdf",
        public_downloads.method_questionnaire_pdf,
        name="method_questionnaire_pdf",
    ),
    path("", include("barometre.web.organisations.urls")),
    path("api/v1/", api.urls),  # the REST API (docs/api.md)
    path("", include("barometre.web.api.urls")),  # a person's API tokens
]

handler400 = "barometre.web.config.errors.bad_request"
handler403 = "barometre.web.config.errors.permission_denied"
handler404 = "barometre.web.config.errors.page_not_found"
handler500 = "barometre.web.config.errors.server_error"
