from django import forms
from django.utils.translation import gettext_lazy as _


class WaveForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    questionnaire = forms.FileField(
        label=_("Questionnaire (YAML)"),
        required=False,
        help_text=_("Leave empty to use the reference questionnaire hlm-2026."),
    )
    frame = forms.FileField(
        label=_("Frame of organisations (CSV)"),
        help_text=_("Columns organisation_id,name,family,dwellings,department."),
    )


class InvitationsForm(forms.Form):
    invitations = forms.FileField(
        label=_("Referents to invite (CSV)"),
        help_text=_("Columns organisation_id,email: one referent per organisation."),
    )


def read_upload(upload) -> str:
    """Uploaded file as text; a file that is not UTF-8 is refused by the form."""
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise forms.ValidationError(
            _("The file %(name)s is not UTF-8 text.") % {"name": upload.name}
        ) from None
