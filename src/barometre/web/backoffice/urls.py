from django.urls import path

from barometre.web.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.waves, name="waves"),
    path("vague/<int:year>/", views.wave, name="wave"),
    path("vague/<int:year>/rapports.zip", views.reports_archive, name="reports_archive"),
    path("vague/<int:year>/<slug:action>/", views.wave_action, name="action"),
]
