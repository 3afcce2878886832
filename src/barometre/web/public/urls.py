from django.urls import path

from barometre.web.public import downloads, views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.sector, name="sector"),
    path("<int:year>/rapport.pdf", views.sector_pdf, name="sector_pdf"),
    # issue 12: the open data package and the questionnaire of a published wave
    path("<int:year>/donnees-ouvertes.zip", downloads.opendata_zip, name="opendata"),
    path(
        "<int:year>/questionnaire.yaml",
        downloads.wave_questionnaire_yaml,
        name="questionnaire_yaml",
    ),
    path(
        "<int:year>/questionnaire.xlsx",
        downloads.wave_questionnaire_xlsform,
        name="questionnaire_xlsform",
    ),
    path(
        "<int:year>/questionnaire.pdf",
        downloads.wave_questionnaire_pdf,
        name="questionnaire_pdf",
    ),
]
