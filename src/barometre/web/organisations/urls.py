from django.urls import path, register_converter

from barometre.web.config.converters import IdentifierConverter
from barometre.web.organisations import exports, views

register_converter(IdentifierConverter, "identifier")

app_name = "organisations"
urlpatterns = [
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("organisme/", views.home, name="home"),
    path("organisme/<identifier:external_id>/<int:year>/", views.dashboard, name="dashboard"),
    path(
        "organisme/<identifier:external_id>/<int:year>/rapport/",
        views.report_html,
        name="report_html",
    ),
    path(
        "organisme/<identifier:external_id>/<int:year>/rapport.pdf",
        views.report_pdf,
        name="report_pdf",
    ),
    path(
        "organisme/<identifier:external_id>/<int:year>/revoquer/<int:link_id>/",
        views.revoke,
        name="revoke",
    ),
    path(
        "organisme/<identifier:external_id>/<int:year>/exports/",
        exports.exports,
        name="exports",
    ),
    path(
        "organisme/<identifier:external_id>/<int:year>/exports/<int:job_id>/",
        exports.export_download,
        name="export_download",
    ),
]
