"""The page of a person's API tokens: make one (its secret shown once), list, revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from barometre.web.api.models import ApiToken
from barometre.web.api.tokens import token_create, token_revoke, tokens_of


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the token"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=gettext_lazy("What it is for, e.g. “monthly export script”."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def tokens(request):
    """List the person's tokens; a POST makes one and shows its secret, once."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens_of(user=request.user), "secret": secret},
    )


@require_http_methods(["GET", "POST"])
@login_required
def token_revoke_view(request, token_id: int):
    """Revoke one of one's own tokens (another person's is 404); a GET, or a POST without
    `confirm=1`, first says what revoking does."""
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if token.revoked_at is None and request.POST.get("confirm") != "1":
        return render(
            request,
            "backoffice/confirm.html",
            {
                "title": _("Revoke the token “%(name)s”?") % {"name": token.name},
                "consequences": [
                    _("Programs that use this token can no longer call the API, at once."),
                    _("A revoked token cannot be restored; make a new one if needed."),
                ],
                "action_url": reverse("api_token_revoke", kwargs={"token_id": token.pk}),
                "cancel_url": reverse("api_tokens"),
            },
        )
    token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens")
