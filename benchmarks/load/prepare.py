"""Respondent links for a load test, written to a file (one token a line).

    DJANGO_SETTINGS_MODULE=barometre.web.config.settings.dev BAROMETRE_DATA_DIR=demo-output \
        .venv/bin/python benchmarks/load/prepare.py --count 50 --out out/load/tokens.txt

Runs with the Django settings of the environment (DJANGO_SETTINGS_MODULE, with
BAROMETRE_DATA_DIR or DATABASE_URL), migrates the database if it needs it, takes the open wave
(or, when there is none, creates one from the built-in questionnaire `hlm-2026` and a synthetic
frame, labelled synthetic, and opens it), then creates COUNT respondent links spread over the
frame's organisations and the questionnaire's roles. The choice of organisations and roles is
seeded; the tokens themselves are random, as every link's (the server makes them).
Each line of the file: token, role, organisation (tab-separated). The file holds credentials
to synthetic data only; it is written with mode 0600.
"""

# This script drives the web application's own services, so it imports Django like src/web.
# ruff: noqa: TID251

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="Links to create.")
    parser.add_argument("--out", type=Path, required=True, help="File for the tokens.")
    parser.add_argument("--seed", type=int, default=2026, help="Seed (default 2026).")
    parser.add_argument(
        "--organisations",
        type=int,
        default=200,
        help="Size of the synthetic frame when a wave has to be created (default 200).",
    )
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        parser.error("set DJANGO_SETTINGS_MODULE (and BAROMETRE_DATA_DIR or DATABASE_URL)")

    import django

    django.setup()
    _migrate_if_needed()
    from django.db import transaction

    with transaction.atomic():
        wave, created = _open_wave(args.seed, args.organisations)
        lines = _links(wave, args.count, args.seed)
    _write_private(args.out, "".join(f"{t}\t{r}\t{o}\n" for t, r, o in lines))
    roles = sorted({r for _t, r, _o in lines})
    organisations = len({o for _t, _r, o in lines})
    print(
        f"{'Created and opened' if created else 'Open'} wave {wave.year} ({wave.title}); "
        f"{len(lines)} respondent links over {organisations} organisations and "
        f"{len(roles)} roles ({', '.join(roles)}) written to {args.out}"
    )
    return 0


def _migrate_if_needed() -> None:
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("Migrating the database...")
        call_command("migrate", interactive=False, verbosity=0)


def _open_wave(seed: int, organisations: int):
    """The open wave (the latest if several), or a new synthetic one, opened."""
    from barometre.files import csv_text
    from barometre.organisations import FRAME_COLUMNS
    from barometre.questionnaire import builtin_path, load_questionnaire
    from barometre.simulate import simulate_sector
    from barometre.web.campaigns.models import Wave
    from barometre.web.campaigns.services import wave_create, wave_transition

    wave = Wave.objects.filter(status=Wave.Status.OPEN).order_by("-year").first()
    if wave is not None:
        return wave, False
    questionnaire = load_questionnaire("hlm-2026")
    sector = simulate_sector(questionnaire, organisations=organisations, seed=seed)
    last = Wave.objects.order_by("-year").values_list("year", flat=True).first()
    year = last + 1 if last else 2026
    wave = wave_create(
        year=year,
        title=f"Test de charge {year} (données synthétiques)",
        questionnaire_yaml=builtin_path("hlm-2026").read_text(encoding="utf-8"),
        frame_csv=csv_text(sector.frame[FRAME_COLUMNS]),
        questionnaire_source="hlm-2026",
        frame_source="synthetic frame",
    )
    return wave_transition(wave=wave, target=Wave.Status.OPEN), True


def _links(wave, count: int, seed: int) -> list[tuple[str, str, str]]:
    """COUNT links: roles in turn, organisations drawn without replacement (then again)."""
    from barometre.web.campaigns.models import AccessLink, FrameEntry
    from barometre.web.campaigns.questionnaires import wave_questionnaire
    from barometre.web.campaigns.services import link_create

    questionnaire = wave_questionnaire(wave)[0]
    roles = [role.code for role in questionnaire.roles]
    entries = list(
        FrameEntry.objects.filter(wave=wave)
        .select_related("organisation")
        .order_by("organisation__external_id")
    )
    if not entries:
        sys.exit(f"The open wave {wave.year} has an empty frame.")
    rng = random.Random(seed)
    organisations = []
    while len(organisations) < count:
        organisations += rng.sample(entries, len(entries))
    lines = []
    for i in range(count):
        organisation = organisations[i].organisation
        role = roles[i % len(roles)]
        _link, token = link_create(
            wave=wave,
            organisation=organisation,
            kind=AccessLink.Kind.RESPONDENT,
            role=role,
            email=f"charge-{seed}-{i:05d}@load.barometre.invalid",
        )
        lines.append((token, role, organisation.external_id))
    return lines


def _write_private(path: Path, text: str) -> None:
    """Written to a temporary name (mode 0600) and renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    sys.exit(main())
