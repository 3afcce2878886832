"""The server's own inline styles under the Content-Security-Policy (settings
`CONTENT_SECURITY_POLICY`): `<style>` elements pass only with the response's nonce."""

from __future__ import annotations

from django.http import HttpRequest


def with_style_nonce(markup: str, request: HttpRequest | None) -> str:
    """`markup` — trusted HTML or SVG made by the server (charts, reports), never user
    input — with each `<style>` element carrying the request's CSP nonce."""
    # str(): the nonce is lazy (made when first read), and false until then
    nonce = str(getattr(request, "csp_nonce", "")) if request is not None else ""
    return markup.replace("<style", f'<style nonce="{nonce}"') if nonce else markup
