"""A Plotly chart that a rerun redraws in place: the live view's map and role bars, the overview's
five charts.

`st.plotly_chart` identifies its element by the figure itself, so every rerun that brings new
figures (a refresh of the live view, a filter change on the overview) mounts a new chart, blank
until it has drawn. This component keeps one element per key and hands each new figure to
`Plotly.react`, which updates the chart where it stands. plotly.js comes from this server
(`/assets/plotly.min.js`, the file of the installed plotly package), never from a CDN; a map's
shapes from the server's topojson folder (ui.plotly_config), fetched as soon as the chart is
mounted, beside plotly.js rather than after it.

With `on_select`, a click on a bar, a country or a tile reports the clicked points' customdata
the way `st.plotly_chart(on_select=…)` does (`{"selection": {"points": [{"customdata": …}]}}`,
read by ui.chart_selects) and runs `on_select` before the rerun. With `lazy`, the chart is drawn
only when it comes near the screen: charts below the first screen wait until scrolled to.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from starlette.responses import FileResponse
from starlette.routing import Route

PLOTLY_JS = "/assets/plotly.min.js"
NEAR_SCREEN = "400px"  # a lazy chart is drawn once it is this close to the visible part of the page

_JS = """
let loading = null;
function plotlyFrom(url) {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!loading) {
        loading = new Promise((resolve, reject) => {
            const script = document.createElement("script");
            script.src = url;
            script.onload = () => resolve(window.Plotly);
            script.onerror = () => { loading = null; reject(new Error("plotly.js did not load")); };
            document.head.appendChild(script);
        });
    }
    return loading;
}
const shapes = {};
function mapShapes(map) {
    // Plotly reads a map's topojson from window.PlotlyGeoAssets before it would fetch it itself
    if (!map) return Promise.resolve();
    if (!shapes[map.name]) {
        shapes[map.name] = fetch(map.url).then((r) => (r.ok ? r.json() : null)).then((topology) => {
            const assets = (window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} });
            if (topology && !assets.topojson[map.name]) assets.topojson[map.name] = topology;
        }).catch(() => { delete shapes[map.name]; });  // Plotly fetches them itself
    }
    return shapes[map.name];
}
function selected(event) {
    return { selection: { points: event.points.map((p) => ({ customdata: p.customdata ?? null })) } };
}
export default function (component) {
    const { data, parentElement, setTriggerValue } = component;
    let chart = parentElement.querySelector(".reach-chart");
    if (!chart) {
        chart = document.createElement("div");
        chart.className = "reach-chart reach-live-chart";
        parentElement.appendChild(chart);
    }
    chart.__reachSend = setTriggerValue;
    const figure = JSON.parse(data.figure);
    const ready = Promise.all([plotlyFrom(data.plotly), mapShapes(data.map)]);
    const draw = () => ready.then(([Plotly]) => Plotly.react(chart, figure.data, figure.layout, data.config))
        .then(() => {
            if (data.clicks && !chart.__reachClicks) {
                chart.__reachClicks = true;
                chart.on("plotly_click", (event) => chart.__reachSend("select", selected(event)));
            }
            if (!chart.__reachResize && window.ResizeObserver) {  // the sidebar opened or closed
                let width = chart.clientWidth;
                chart.__reachResize = new ResizeObserver(() => {
                    if (chart.clientWidth !== width && window.Plotly) {
                        width = chart.clientWidth;
                        window.Plotly.Plots.resize(chart);
                    }
                });
                chart.__reachResize.observe(chart);
            }
        });
    if (!data.lazy || chart.__reachDrawn || !window.IntersectionObserver) {
        chart.__reachDrawn = true;
        draw();
        return;
    }
    chart.__reachDraw = draw;  // the latest figure, drawn when the chart comes near the screen
    if (!chart.__reachWatch) {
        chart.style.minHeight = data.height + "px";
        chart.__reachWatch = new IntersectionObserver((entries) => {
            if (!entries.some((e) => e.isIntersecting)) return;
            chart.__reachWatch.disconnect();
            chart.__reachDrawn = true;
            chart.__reachDraw();
        }, { rootMargin: data.near });
        chart.__reachWatch.observe(chart);
    }
}
"""

_chart = st.components.v2.component("reach_live_chart", js=_JS, isolate_styles=False)


def _map_file(figure: go.Figure, config: dict) -> dict | None:
    """The topojson a map of `figure` needs (Plotly's own naming: scope_resolution), or None."""
    geo = figure.layout.to_plotly_json().get("geo")
    if not geo:
        return None
    name = f"{geo.get('scope') or 'world'}_{geo.get('resolution') or 110}m"
    return {"name": name, "url": f"{config['topojsonURL']}{name}.json"}


def chart(
    figure: go.Figure,
    config: dict,
    key: str,
    on_select: Callable[[], None] | None = None,
    lazy: bool = False,
) -> None:
    """Draw `figure` under `key`; the next call with the same key updates that chart in place.
    `on_select` runs when a point is clicked (st.session_state[key]["select"] holds it);
    `lazy` draws the chart only when it comes near the screen."""
    base = st.get_option("server.baseUrlPath").strip("/")
    prefix = f"/{base}" if base else ""
    height = int(figure.layout.height or 450)
    data = {"figure": pio.to_json(figure, validate=False), "config": config, "plotly": prefix + PLOTLY_JS,
            "map": _map_file(figure, config), "clicks": on_select is not None, "lazy": lazy, "height": height,
            "near": NEAR_SCREEN}  # fmt: skip
    callbacks = {"on_select_change": on_select} if on_select is not None else {}
    _chart(data=data, key=key, height=height, **callbacks)


def preloads(config: dict) -> tuple[tuple[str, str], ...]:
    """What a page of these charts and the CIS map loads: plotly.js and the map's shapes, (path,
    kind) for the page's Link: rel=preload header (dashboard/middleware.Preloads)."""
    base = st.get_option("server.baseUrlPath").strip("/")
    prefix = f"/{base}" if base else ""
    return (prefix + PLOTLY_JS, "script"), (f"{config['topojsonURL']}world_50m.json", "fetch")


def live_chart(figure: go.Figure, config: dict, key: str) -> None:
    """Draw `figure` under `key`; the next call with the same key updates that chart in place."""
    chart(figure, config, key)


def _plotly_js(request):
    """plotly.js of the installed plotly package, served by this server (cached for a day)."""
    from importlib.resources import files

    path = files("plotly") / "package_data" / "plotly.min.js"
    return FileResponse(str(path), media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})


def routes() -> list[Route]:
    return [Route(PLOTLY_JS, _plotly_js, methods=["GET"])]
