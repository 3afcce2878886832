from django.urls import path

from barometre.web.responses import views

app_name = "responses"
urlpatterns = [
    path("<str:token>/", views.start, name="start"),
    path("<str:token>/page/<int:number>/", views.page, name="page"),
    path("<str:token>/reponse/", views.save_answer, name="save"),
    path("<str:token>/etat/", views.state, name="state"),
    path("<str:token>/envoyer/", views.submit, name="submit"),
    path("<str:token>/merci/", views.thanks, name="thanks"),
]
