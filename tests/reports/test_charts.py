"""``accord.charts``: accessible, script-free, style-free SVG that a page's Content Security
Policy and WeasyPrint both accept, deterministic, with every label escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from accord import charts

SVG = "{http://www.w3.org/2000/svg}"


def every_chart() -> list[str]:
    return [
        charts.bar_chart([("Q1", 12.0), ("Q2", None), ("<Q3>", 15.5)], title="Spend & more",
                         desc="Q3 highest", highlight={"Q1"}),
        charts.hbar_chart([("lead times", 7), ("a very long pain point name indeed", 2)],
                          title="Pain points", ranges={"lead times": (3.0, 9.0)}),
        charts.line_chart({"on time": [0.8, None, 0.95], "complete": [0.9, 0.92, 0.97]},
                          ["Jul", "Aug", "Sep"], title="Delivery", fmt="{:.0%}", y_max=1.0),
        charts.histogram({"converted": [55, 70, 71], "not": [5, 20, 41]}, bins=range(0, 101, 10),
                         title="Scores", markers={"mql": 40, "sql": 65}, share=True),
    ]  # fmt: skip


@pytest.mark.parametrize("svg", every_chart())
def test_a_chart_is_accessible_svg_without_script_or_style(svg: str) -> None:
    root = ET.fromstring(svg)  # well-formed: labels are escaped
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None and title.text and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "<script" not in svg and "style=" not in svg and "<style" not in svg
    assert not re.search(r"\bon[a-z]+=", svg)  # no event handlers
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched


def test_charts_are_deterministic_and_carry_their_values_as_text() -> None:
    assert every_chart() == every_chart()
    bar = every_chart()[0]
    assert "&lt;Q3&gt;" in bar and ">16<" in bar  # 15.5 shown as "{:,.0f}"
    assert "n/a" in bar and "Spend &amp; more" in bar
    line = every_chart()[2]
    assert ">97%<" in line  # the last point is labelled


def test_nice_ticks_are_round() -> None:
    assert charts.nice_ticks(0, 93) == [0, 25, 50, 75, 100]
    assert charts.nice_ticks(0, 1) == [0, 0.25, 0.5, 0.75, 1.0]
    assert charts.nice_ticks(5, 5)[0] <= 5 <= charts.nice_ticks(5, 5)[-1]
