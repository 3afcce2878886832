from django.urls import path

from barometre.web.public import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.sector, name="sector"),
    path("<int:year>/rapport.pdf", views.sector_pdf, name="sector_pdf"),
]
