"""Small raw directories written by tests, in the reported-figures format."""

from __future__ import annotations

from pathlib import Path

FIGURE_HEADER = "region,industry,indicator,period,period_kind,measure,value,unit,source_id"

#: The seed press release's own figures (Qingyuan government, 2023-08-25), as published.
SEED_FIGURES = [
    "清远市,汽车零部件及上下游产业链,产业链规模,2021-01/2025-12,span,target,100,billion yuan (breaking through),seed",
    "广东省,汽车制造业,汽车产量占全国比重,2023年1-7月,,share_pct,17.8,%,seed",
    "广东省,汽车制造业,汽车产量,2023年1-7月,,level,2.7381,million vehicles,seed",
    "Guangdong,C36,汽车制造业增加值,2023-01/2023-07,ytd,level,145.98,billion yuan,seed",
]
SOURCES_HEADER = "source_id,title,publisher,url,published_date,retrieved_date,authority,note"
SEED_SOURCE = "seed,Chip Era Qingyuan Automotive Electronics Supply Chain Conference,Qingyuan Municipal People's Government,,2023-08-25,,official,"


def write_raw(
    directory: Path,
    figures: list[str],
    sources: list[str] | None = None,
    *,
    name: str = "test",
    encoding: str = "utf-8",
) -> Path:
    """Write ``<name>.figures.csv`` and ``<name>.sources.csv`` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.figures.csv").write_bytes("\n".join([FIGURE_HEADER, *figures, ""]).encode(encoding))
    (directory / f"{name}.sources.csv").write_bytes(
        "\n".join([SOURCES_HEADER, *(sources if sources is not None else [SEED_SOURCE]), ""]).encode(encoding)
    )
    return directory
