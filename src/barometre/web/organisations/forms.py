from django import forms
from django.utils.translation import gettext_lazy as _

from barometre.web.campaigns.invitations import EMAIL_MAX_LENGTH


class AcceptForm(forms.Form):
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        min_length=10,
        help_text=_("At least 10 characters, not only digits, and not like your e-mail address."),
    )


class ColleagueForm(forms.Form):
    # RFC 5321's longest address, the database column's (Django's validator allows 320)
    email = forms.EmailField(label=_("Colleague's e-mail address"), max_length=EMAIL_MAX_LENGTH)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)  # declared above
        role.choices = roles
