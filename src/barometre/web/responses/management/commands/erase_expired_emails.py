"""`barometre manage erase_expired_emails [--dry-run] [--days N]`: the retention of e-mail
addresses (docs/privacy.md). Run it daily (cron, a systemd timer): it is idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from barometre.web.responses.privacy import emails_retention


class Command(BaseCommand):
    help = (
        "Erase the e-mail addresses of the links of waves closed more than "
        "BAROMETRE_EMAIL_RETENTION_DAYS days ago (answers are kept, under their pseudonyms)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be erased, erase nothing."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days after a wave's closing (default: BAROMETRE_EMAIL_RETENTION_DAYS, "
            f"now {settings.BAROMETRE_EMAIL_RETENTION_DAYS}).",
        )

    def handle(self, *args, dry_run: bool = False, days: int | None = None, **options):
        if days is not None and days < 0:
            raise CommandError(f"--days must be 0 or more, not {days}.", returncode=2)
        retention = settings.BAROMETRE_EMAIL_RETENTION_DAYS if days is None else days
        done = emails_retention(days=retention, dry_run=dry_run)
        verb = "would erase" if dry_run else "erased"
        for wave in done:
            self.stdout.write(
                f"Wave {wave.year} (closed {wave.closed_at.date().isoformat()}): {verb} "
                f"{wave.addresses} e-mail address{'es' if wave.addresses != 1 else ''}."
            )
        if not done:
            self.stdout.write(
                f"Nothing to erase: no wave closed more than {retention} days ago still holds "
                "e-mail addresses."
            )
