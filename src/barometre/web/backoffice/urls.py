from django.urls import path

from barometre.web.backoffice import exports, people, privacy, views

app_name = "backoffice"
urlpatterns = [
    path("", views.waves, name="waves"),
    path("vague/<int:year>/", views.wave, name="wave"),
    path("vague/<int:year>/rapports.zip", views.reports_archive, name="reports_archive"),
    path("donnees-personnelles/", privacy.privacy, name="privacy"),
    path("donnees-personnelles/export/", privacy.privacy_export, name="privacy_export"),
    path("donnees-personnelles/effacement/", privacy.privacy_erase, name="privacy_erase"),
    path("journal/", privacy.audit, name="audit"),
    path("vague/<int:year>/journal/", privacy.wave_audit, name="wave_audit"),
    path("vague/<int:year>/personnes/", people.people, name="people"),
    path(
        "vague/<int:year>/personnes/lien/<int:link_id>/revoquer/",
        people.link_revoke_view,
        name="people_link_revoke",
    ),
    path(
        "vague/<int:year>/personnes/membre/<int:membership_id>/terminer/",
        people.membership_end_view,
        name="people_membership_end",
    ),
    path("vague/<int:year>/exports/", exports.exports, name="exports"),
    path(
        "vague/<int:year>/exports/<int:job_id>/",
        exports.export_download,
        name="export_download",
    ),
    path("vague/<int:year>/<slug:action>/", views.wave_action, name="action"),
]
