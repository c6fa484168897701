"""The world map's shapes: built once from Natural Earth (public domain) as packaged in the
world-atlas TopoJSON files, shipped as instruments/data/world-map.json, drawn as SVG.

`build` decodes the TopoJSON (quantized, delta-encoded arcs), projects longitude and latitude
onto a plain equirectangular plane and writes one SVG path per ISO 3166 alpha-3 code, with a
dot for each country too small for the coarse file (taken from the finer one's centroid).
"""

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry

MAP_FILE = Path(__file__).resolve().parent / "data" / "world-map.json"
WIDTH = 1000.0
NORTH, SOUTH = 84.0, -58.0  # Antarctica is left out; the northernmost land stays in
HEIGHT = round(WIDTH * (NORTH - SOUTH) / 360.0, 1)


def _project(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180.0) * WIDTH / 360.0, (NORTH - lat) * WIDTH / 360.0


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Every arc as absolute longitude/latitude points (TopoJSON's quantized deltas)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: Iterable[int], arcs: list[list[tuple[float, float]]]) -> list:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def _continuous(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that crosses the 180th meridian (Russia, Fiji) kept in one piece: longitudes
    continue past ±180 and the part beyond the map's edge is cut off by the SVG's box."""
    points = [ring[0]]
    shift = 0.0
    for (lon, lat), (previous, _) in zip(ring[1:], ring, strict=False):
        if lon - previous > 180:
            shift -= 360
        elif previous - lon > 180:
            shift += 360
        points.append((lon + shift, lat))
    return points


def _path(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for ring in rings:
        projected = [_project(lon, lat) for lon, lat in _continuous(ring)]
        # Drop points closer than a tenth of a unit to the last one kept: a few hundred KB.
        kept = [projected[0]]
        for x, y in projected[1:]:
            if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 0.4:
                kept.append((x, y))
        if len(kept) >= 3:
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + "Z")
    return "".join(parts)


def _alpha3(numeric: str | None) -> str | None:
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    return country.alpha_3 if country else None


def _shapes(topology: dict[str, Any]) -> dict[str, list[list[tuple[float, float]]]]:
    arcs = _arcs(topology)
    shapes: dict[str, list] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = _alpha3(geometry.get("id"))
        if code is None:
            continue
        for polygon in _polygons(geometry):
            shapes.setdefault(code, []).extend(_ring(ring, arcs) for ring in polygon)
    return shapes


def build(coarse: Path, fine: Path) -> dict[str, dict[str, Any]]:
    """{alpha-3: {"d": SVG path} or {"dot": [x, y]}} from the 110m and 50m TopoJSON files."""
    coarse_shapes = _shapes(json.loads(coarse.read_text()))
    drawn: dict[str, dict[str, Any]] = {code: {"d": _path(r)} for code, r in coarse_shapes.items()}
    for code, rings in _shapes(json.loads(fine.read_text())).items():
        if code in drawn and drawn[code]["d"]:
            continue
        outer = max(rings, key=len)
        x, y = _project(
            sum(p[0] for p in outer) / len(outer), sum(p[1] for p in outer) / len(outer)
        )
        drawn[code] = {"dot": [round(x, 1), round(y, 1)]}
    # The European Union has no country shape: a dot at Brussels, its seat.
    x, y = _project(4.35, 50.85)
    drawn["EUU"] = {"dot": [round(x, 1), round(y, 1)]}
    return dict(sorted(drawn.items()))


@lru_cache(maxsize=1)
def shapes() -> dict[str, dict[str, Any]]:
    """The shipped shapes, read once per process."""
    return json.loads(MAP_FILE.read_text())
