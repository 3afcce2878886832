from django.urls import path

from barometre.web.public import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.sector, name="sector"),
]
