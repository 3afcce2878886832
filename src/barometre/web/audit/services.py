"""Writing to the audit log: one `record` per operator action, once it has succeeded."""

from __future__ import annotations

from collections.abc import Iterable

from barometre.web.audit.models import AuditEntry
from barometre.web.campaigns.models import Wave

#: Longest target kept; a longer list of pseudonyms is cut with its count.
_TARGET = 500


def _label(user) -> str:
    return user.get_username() if user is not None else ""


def record(
    *,
    action: AuditEntry.Action,
    user=None,
    command: str = "",
    wave: Wave | None = None,
    target: str | Iterable[str] = "",
    count: int | None = None,
    detail: str = "",
) -> AuditEntry:
    """Add an entry; `user` for a person at the web, `command` for a management command.

    `target` may be several names (pseudonyms): they are joined, and cut to the column's
    length with the number left out, so that a long erasure never fails for its log."""
    if not isinstance(target, str):
        names = list(target)
        target = ", ".join(names)
        if len(target) > _TARGET:
            kept: list[str] = []
            for name in names:
                if len(", ".join([*kept, name])) > _TARGET - 20:
                    break
                kept.append(name)
            target = ", ".join(kept) + f" (+{len(names) - len(kept)})"
    return AuditEntry.objects.create(
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        user_label=_label(user) if user is not None else f"command {command}",
        wave=wave,
        wave_year=wave.year if wave is not None else None,
        target=target[:_TARGET],
        count=count,
        detail=detail[:500],
    )
