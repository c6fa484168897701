"""Build instruments/data/world-map.json from the world-atlas package's Natural Earth files."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from instruments.mapshapes import MAP_FILE, build


class Command(BaseCommand):
    help = (
        "Write the world map's shapes from world-atlas's countries-110m.json and "
        "countries-50m.json (Natural Earth, public domain; `npm pack world-atlas`)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("coarse", type=Path, help="countries-110m.json")
        parser.add_argument("fine", type=Path, help="countries-50m.json (for small States' dots)")

    def handle(self, *args: Any, **options: Any) -> None:
        drawn = build(options["coarse"], options["fine"])
        MAP_FILE.write_text(json.dumps(drawn, separators=(",", ":")))
        dots = sum(1 for shape in drawn.values() if "dot" in shape)
        size = MAP_FILE.stat().st_size
        self.stdout.write(f"{len(drawn)} countries ({dots} as dots), {size:,} bytes: {MAP_FILE}")
