"""Compile the tracker's message catalogues (.po) into the .mo files Django reads.

Babel's pure-Python reader and writer, so no GNU gettext is needed where the site runs or
is tested (`makemessages`, which updates the .po files, still needs it: README,
"Languages"). Fuzzy entries are left out, as msgfmt leaves them out: their English stands.
Each .mo is written beside its .po through a temporary file, so two processes compiling at
once (parallel test workers) never read half a file. The .mo files are not kept in git.
"""

import os
import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def own_app(path: Path) -> bool:
    """An app of the tracker's own, not a package installed in a virtual environment."""
    base = Path(settings.BASE_DIR).resolve()
    path = path.resolve()
    if not path.is_relative_to(base):
        return False
    return not any(p.startswith(".") or p == "site-packages" for p in path.relative_to(base).parts)


def catalogues() -> list[Path]:
    """The tracker's own .po files: in LOCALE_PATHS and in its apps' locale/ folders
    (installed packages' catalogues come compiled)."""
    folders = [Path(p) for p in settings.LOCALE_PATHS]
    folders += [
        Path(config.path) / "locale"
        for config in apps.get_app_configs()
        if own_app(Path(config.path))
    ]
    return sorted(po for folder in folders if folder.is_dir() for po in folder.rglob("*.po"))


def compile_catalogue(po_path: Path) -> Path:
    with po_path.open("rb") as source:
        catalogue = read_po(source, locale=po_path.parent.parent.name)
    mo_path = po_path.with_suffix(".mo")
    handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(handle, "wb") as target:
            write_mo(target, catalogue, use_fuzzy=False)
        os.replace(temporary, mo_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return mo_path


class Command(BaseCommand):
    help = "Compile the tracker's message catalogues (.po to .mo) without GNU gettext."

    def handle(self, *args: Any, **options: Any) -> None:
        found = catalogues()
        for po_path in found:
            compile_catalogue(po_path)
        if found:
            self.stdout.write(f"Done: compiled {len(found)} catalogue(s).")
        else:
            self.stdout.write("Done: no message catalogues, nothing to compile.")
