"""The Sources panel: every source behind the current view, with how many figures each supports."""

from __future__ import annotations

from collections import Counter

import pandas as pd
from dash import html

from dashboard.i18n import t
from dashboard.records import records


def source_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per source of ``frame``: title, publisher, date, URL and the number of figures.

    Most figures first, so the source a chart mostly rests on is read first.
    """
    columns = ["source_id", "source_title", "source_publisher", "source_published_date", "source_url"]
    if frame.empty:
        return pd.DataFrame(columns=[*columns, "figures"])
    # text, "" for missing (a source without a date is still a source); counted in plain Python,
    # which for a few hundred rows is ~10x a pandas groupby
    counts = Counter(tuple("" if value is None or pd.isna(value) else str(value) for value in row.values())
                     for row in records(frame, columns))
    # most figures first, then the newest; ties keep their first-seen order (Python's sort is stable with reverse)
    ranked = sorted(counts.items(), key=lambda item: (item[1], item[0][3]), reverse=True)
    return pd.DataFrame([(*key, n) for key, n in ranked], columns=[*columns, "figures"])


#: At most this many sources are listed in the panel; the rest are counted (each row of the table
#: and of the CSV still names its own source). A view over years of monthly releases rests on
#: hundreds, which no reader scans and which cost more to send than the chart.
SOURCES_SHOWN = 30


def sources_panel(summary: pd.DataFrame, lang: str) -> list:
    """The panel's content: a heading and a list of linked sources."""
    heading = html.H2(f"{t('sources_title', lang)} ({len(summary)})", className="panel-title")
    if summary.empty:
        return [heading, html.P(t("no_sources", lang), className="muted")]
    items = []
    for row in records(summary.head(SOURCES_SHOWN)):
        title = row["source_title"] or row["source_id"]
        linked = row["source_url"].startswith(("http://", "https://"))
        link = html.A(title, href=row["source_url"], target="_blank", rel="noopener noreferrer") if linked else html.Span(title)
        meta = " · ".join(p for p in (row["source_publisher"], row["source_published_date"]) if p)
        figures = row["figures"]
        items.append(html.Li([link, html.Span(f" — {meta}" if meta else "", className="muted"),
                              html.Span(t("no_url", lang), className="flag no-url") if not linked else "",
                              html.Span(f" {figures} {t('figure' if figures == 1 else 'figures_supported', lang)}", className="badge")],
                             **{"data-source-id": row["source_id"]}))
    listing = [heading, html.Ol(items, className="source-list")]
    if len(summary) > SOURCES_SHOWN:
        rest = summary.iloc[SOURCES_SHOWN:]
        listing.append(html.P(t("more_sources", lang).format(n=len(rest), figures=int(rest["figures"].sum())),
                              className="muted more-sources"))
    return listing
