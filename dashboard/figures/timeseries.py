"""The time-series chart: one line per region, reported and derived points told apart."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.common import (
    FONT,
    empty_figure,
    hover_rows,
    hover_text,
    light_template,
    month_tick,
    period_text,
    region_name,
    series_colours,
    wrap,
    x_positions,
)
from dashboard.figures.spec import FigureSpec, PlainFigure
from dashboard.formatting import choose_scale, unit_label
from dashboard.i18n import MEASURE_LABELS, label, t

#: Colour-blind-safe palette (Okabe–Ito), so regions stay distinguishable in print too.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
#: Reported points are filled; derived ones hollow; estimates and bounds open diamonds.
MARKERS = {"reported": "circle", "derived": "circle-open", "estimated": "diamond-open", "target": "star"}


#: Period kinds drawn as the NBS draws them: x = month of the year, one line per year.
MONTH_OF_YEAR_KINDS = ("ytd", "month")
#: Line styles telling the years of one region apart when several regions share the chart.
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]


def months_long(row: dict) -> int:
    """How many months a period covers (Jan–Jul = 7, a year = 12, Jan–Feb = 2)."""
    start, end = row["period_start"], row["period_end"]
    return (end.year - start.year) * 12 + end.month - start.month + 1


def timeseries_figure(frame: pd.DataFrame, lang: str, *, title: str = "", colours: dict[str, str] | None = None,
                      log_axis: bool = False, hover_extra: dict | None = None,
                      breaks: list[tuple] | None = None) -> PlainFigure:
    """Chart ``frame`` (a query result for one indicator, measure and period kind).

    Year-to-date and single-month figures are drawn the way Chinese statistics readers know
    them: x = month of the year, one line per year, so Jan–Jul 2023 sits above Jan–Jul 2022 and
    no line ever runs from a Jan–Sep total down to a Jan–Feb one. Other kinds: a line per region
    over time, one trace per period length (a line never joins periods of different lengths).
    A single period is a bar per region. ``colours``: region code → colour, stable across views.
    ``hover_extra``: row index → a line saying how a computed point was computed.
    ``breaks``: (date, note) of breaks in series within the chart: a dashed line at the date
    (over time) or, by month of year, the years from the break marked in the legend, and the
    note written on the chart.
    """
    data = frame.dropna(subset=["value"])
    data = data[data["is_default"]] if "is_default" in data else data
    if data.empty:
        return empty_figure(t("no_data", lang))
    unit = str(data["unit"].iloc[0])
    measure = str(data["measure"].iloc[0])
    divisor, _ = choose_scale(data["value"].tolist(), unit, lang)
    if unit in ("percent", "rank"):
        divisor = 1.0
    extra = hover_extra or {}
    colours = colours or {}
    codes = list(dict.fromkeys(data["region_code"]))
    fallback = series_colours(codes)
    single_period = data[["period_start", "period_end"]].drop_duplicates().shape[0] == 1
    kinds = set(data["period_kind"])
    month_of_year = not single_period and len(kinds) == 1 and next(iter(kinds)) in MONTH_OF_YEAR_KINDS
    figure = FigureSpec()
    if single_period:
        for code, group in data.groupby("region_code", sort=False):
            name = region_name(group.iloc[0], lang)
            hover = [hover_text(row, lang, extra=extra.get(i, "")) for i, row in zip(group.index, group.to_dict("records"), strict=True)]
            figure.add_bar(x=[name], y=group["value"] / divisor, name=name,
                           marker_color=colours.get(code, fallback[code]),
                           hovertext=hover, hoverinfo="text", customdata=group["source_id"])
    elif month_of_year:
        _month_of_year_traces(figure, data, lang, divisor, colours, fallback, extra)
    else:
        _time_traces(figure, data, lang, divisor, colours, fallback, extra)
    measure_text = label(MEASURE_LABELS, measure, lang)
    axis_unit = unit_label(unit, lang, divisor) if unit not in ("rank",) else ""
    figure.update_layout(
        title={"text": title or measure_text, "x": 0.01, "xanchor": "left"},
        template=light_template(),
        height=440,
        font={"family": FONT, "size": 13},
        margin={"l": 60, "r": 20, "t": 60, "b": 80},
        legend={"orientation": "h", "y": -0.22, "yanchor": "top"},
        yaxis={"title": {"text": f"{measure_text} ({axis_unit})" if axis_unit and axis_unit not in measure_text else measure_text}},
        hoverlabel={"align": "left"},
    )
    if log_axis and unit != "rank" and (data["value"] > 0).all():
        figure.update_yaxes(type="log")
    if not single_period:
        figure.add_annotation(
            text=t("legend_note", lang), showarrow=False, xref="paper", yref="paper", x=1, y=1.02,
            xanchor="right", yanchor="bottom", font={"size": 11, "color": "#5b6776"},
        )
    if breaks and not single_period:
        _mark_breaks(figure, data, breaks, lang, month_of_year=month_of_year)
    if unit == "rank":
        figure.update_yaxes(autorange="reversed")
    if single_period:
        figure.update_layout(xaxis={"title": {"text": period_text(data.iloc[0], lang)}}, showlegend=False)
    return figure.figure()


def _mark_breaks(figure: FigureSpec, data: pd.DataFrame, breaks: list[tuple], lang: str, *, month_of_year: bool) -> None:
    """Say on the chart where the series breaks (e.g. 2025: vehicles counted where they are built)."""
    first, last = min(data["period_start"]), max(data["period_end"])
    shown = [(d, note) for d, note in breaks if first < d <= last]
    if not shown:
        return
    word = t("break_in_series", lang)
    for when, _note in shown:
        if month_of_year:
            for trace in figure.data:
                if isinstance(trace.get("meta"), dict) and trace["meta"].get("year", 0) >= when.year:
                    trace["name"] = f"{trace['name']} ⟂"
        else:
            figure.add_vline(x=when.year if set(data["period_kind"]) == {"year"} else when, line_dash="dash",
                             line_color="#8a5a00", line_width=1)
    notes = "; ".join(dict.fromkeys(f"{d.year if d.month == 1 else d}: {note}" for d, note in shown))
    figure.add_annotation(text="<br>".join(wrap(f"⟂ {word} — {notes}", 120)), showarrow=False, xref="paper",
                          yref="paper", x=0, y=1.07, xanchor="left", yanchor="bottom", align="left",
                          font={"size": 11, "color": "#8a5a00"})
    figure.update_layout(margin={"t": 100})


def _hover(group: pd.DataFrame, lang: str, extra: dict) -> list[str]:
    # dicts: iterrows costs ~0.1 ms a row
    return [hover_text(row, lang, extra=extra.get(i, "")) for i, row in zip(group.index, hover_rows(group), strict=True)]


def _hover_by_row(data: pd.DataFrame, lang: str, extra: dict) -> pd.Series:
    """Every row's hover text, computed once for the chart (not once per trace: ``to_dict`` of a
    small group costs about as much as of the whole frame)."""
    return pd.Series(_hover(data, lang, extra), index=data.index, dtype=object)


def in_selection_order(data: pd.DataFrame, colours: dict) -> list[str]:
    """The regions of ``data`` in the order they were selected (the keys of ``colours``), then the rest."""
    present = list(dict.fromkeys(data["region_code"]))
    return [c for c in colours if c in set(present)] + [c for c in present if c not in colours]


def shade(colour: str, age: int) -> str:
    """The region's colour for a year ``age`` years before the latest: the same hue, lighter with
    age, so a region keeps its colour whatever else is drawn and the newest year stands out."""
    mix = min(0.12 * age, 0.6)
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    r, g, b = (round(c + (255 - c) * mix) for c in (r, g, b))
    return f"#{r:02X}{g:02X}{b:02X}"


def _month_of_year_traces(figure: FigureSpec, data: pd.DataFrame, lang: str, divisor: float, colours: dict,
                          fallback: dict, extra: dict) -> None:
    """One trace per region and year, over the month the period ends in (Jan–Feb sits at Feb).

    Each region keeps its colour (``colours``); its years are shades and dashes of it, newest
    darkest and solid. Built from the rows as dicts: a chart has a few hundred points, and
    pandas' grouping and indexing cost more than the whole loop (22 ms against ~2 ms measured
    for 10 years of one region).
    """
    kind = str(data["period_kind"].iloc[0])
    rows = hover_rows(data)
    hover = [hover_text(row, lang, extra=extra.get(i, "")) for i, row in zip(data.index, rows, strict=True)]
    groups: dict[tuple, list[int]] = {}
    for position, row in enumerate(rows):
        groups.setdefault((row["region_code"], row["period_start"].year), []).append(position)
    regions = in_selection_order(data, colours)
    years = sorted({year for _code, year in groups}, reverse=True)  # latest first: the legend reads from the newest year
    several = len(regions) > 1
    values = data["value"].tolist()
    for code in regions:
        name = None
        for index, year in enumerate(years):
            positions = groups.get((code, year))
            if positions is None:
                continue
            positions = sorted(positions, key=lambda p: rows[p]["period_end"].month)  # stable, like the month sort
            name = name or region_name(rows[positions[0]], lang)
            colour = shade(colours.get(code, fallback[code]), index)
            figure.add_scatter(
                x=[rows[p]["period_end"].month for p in positions], y=[values[p] / divisor for p in positions],
                name=f"{name} {year}" if several else str(year),
                mode="lines+markers", legendgroup=code if several else str(year),
                line={"color": colour, "width": 2.5 if index == 0 else 1.8, "dash": DASHES[index % len(DASHES)]},
                marker={"symbol": [MARKERS.get(rows[p]["status"], "circle") for p in positions], "size": 9, "color": colour},
                hovertext=[hover[p] for p in positions], hoverinfo="text", customdata=[rows[p]["source_id"] for p in positions],
                meta={"region": code, "year": int(year), "kind": kind},
            )
    months = sorted({row["period_end"].month for row in rows})
    ticks = list(range(min(months), max(months) + 1))
    figure.update_xaxes(tickmode="array", tickvals=ticks, ticktext=[month_tick(m, kind, lang) for m in ticks],
                        range=[min(ticks) - 0.5, max(ticks) + 0.5],
                        title={"text": t("axis_ytd" if kind == "ytd" else "axis_month", lang)})


def _time_traces(figure: FigureSpec, data: pd.DataFrame, lang: str, divisor: float, colours: dict,
                 fallback: dict, extra: dict) -> None:
    """A line per region over time; periods of another length (a 3-year span among 5-year ones)
    get a trace of their own, so no segment joins two lengths."""
    data = data.assign(_length=[months_long(r) for r in data[["period_start", "period_end"]].to_dict("records")])
    several_lengths = data["_length"].nunique() > 1
    hover = _hover_by_row(data, lang, extra)
    by_region = dict(tuple(data.groupby("region_code", sort=False)))
    for code in in_selection_order(data, colours):
        rows = by_region[code]
        colour = colours.get(code, fallback[code])
        name = region_name(rows.iloc[0], lang)
        for length, group in rows.groupby("_length", sort=True):
            group = group.sort_values("period_end")
            x, annual = x_positions(group)
            if annual:
                figure.update_xaxes(dtick=1, tickformat="d")
            else:  # dates as the reader writes them: 2023年7月 / Jul 2023
                figure.update_xaxes(tickformat="%Y年%-m月" if lang == "zh" else "%b %Y")
            figure.add_scatter(
                x=x, y=group["value"] / divisor, name=f"{name} ({length} m)" if several_lengths else name,
                mode="lines+markers", legendgroup=code,
                line={"color": colour, "width": 2},
                marker={"symbol": [MARKERS.get(s, "circle") for s in group["status"]], "size": 9, "color": colour},
                hovertext=hover[group.index].tolist(), hoverinfo="text", customdata=group["source_id"],
                meta={"region": code, "months": int(length)},
            )
