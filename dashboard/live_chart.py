"""A Plotly chart that a refresh redraws in place (the live view's map and role bars).

`st.plotly_chart` identifies its element by the figure itself, so every refresh that brings new
figures mounts a new chart, blank until it has drawn. This component keeps one element per key
and hands each new figure to `Plotly.react`, which updates the chart where it stands. plotly.js
comes from this server (`/assets/plotly.min.js`, the file of the installed plotly package), never
from a CDN; map shapes from the server's topojson folder, as for every other chart.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from starlette.responses import FileResponse
from starlette.routing import Route

PLOTLY_JS = "/assets/plotly.min.js"

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
export default function (component) {
    const { data, parentElement } = component;
    let chart = parentElement.querySelector(".reach-live-chart");
    if (!chart) {
        chart = document.createElement("div");
        chart.className = "reach-live-chart";
        parentElement.appendChild(chart);
    }
    const figure = JSON.parse(data.figure);
    plotlyFrom(data.plotly).then((Plotly) => Plotly.react(chart, figure.data, figure.layout, data.config));
}
"""

_chart = st.components.v2.component("reach_live_chart", js=_JS, isolate_styles=False)


def live_chart(figure: go.Figure, config: dict, key: str) -> None:
    """Draw `figure` under `key`; the next call with the same key updates that chart in place."""
    base = st.get_option("server.baseUrlPath").strip("/")
    prefix = f"/{base}" if base else ""
    _chart(data={"figure": pio.to_json(figure, validate=False), "config": config, "plotly": prefix + PLOTLY_JS},
           key=key, height=int(figure.layout.height or 450))  # fmt: skip


def _plotly_js(request):
    """plotly.js of the installed plotly package, served by this server (cached for a day)."""
    from importlib.resources import files

    path = files("plotly") / "package_data" / "plotly.min.js"
    return FileResponse(str(path), media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})


def routes() -> list[Route]:
    return [Route(PLOTLY_JS, _plotly_js, methods=["GET"])]
