"""Statistical semantics, the stage between normalisation and publishing.

``derive_all`` adds what can honestly be computed from the published figures and checks them
against each other, without changing any of them:

- derived observations (``status = derived``, ``source_id = derived``): single-month levels
  from cumulative ones (:mod:`.monthly`), year-on-year growth from levels (:mod:`.growth`),
  shares of the parent region and ranks among siblings (:mod:`.shares`);
- ``reconciliation``: every reported share, growth, total and month compared with what the
  other reported figures imply, allowing for rounding (:mod:`.reconcile`);
- ``target_progress``: each target against the latest level of its series (:mod:`.targets`).

Derivations start from the published figures only (never from each other's results), from the
row the default view shows for each figure. A derived row is shown by default unless a
publisher printed the same figure (same key but source and vintage): the printed one wins and
the two are compared in ``reconciliation``. See docs/semantics.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from etl.derive.common import COLUMNS, DATE_COLUMNS, DERIVED_SOURCE, as_timestamps, with_derived_source
from etl.derive.growth import yoy_growth
from etl.derive.monthly import monthly_from_cumulative
from etl.derive.reconcile import RECONCILIATION_SCHEMA, summarise
from etl.derive.reconcile import reconcile as reconcile_figures
from etl.derive.shares import ranks_among_siblings, shares_of_parent
from etl.derive.targets import TARGET_PROGRESS_SCHEMA, target_progress
from etl.model import FIGURE_KEY, OBSERVATION_KEY

__all__ = [
    "RECONCILIATION_SCHEMA",
    "TARGET_PROGRESS_SCHEMA",
    "DeriveResult",
    "derive_all",
    "published_count",
    "run_messages",
    "summarise",
    "with_derived_source",
]


@dataclass
class DeriveResult:
    """The stage's three outputs."""

    observations: pd.DataFrame
    reconciliation: pd.DataFrame
    target_progress: pd.DataFrame
    #: Derived rows per derivation (``monthly``, ``growth``, ``share``, ``rank``).
    derived_counts: dict[str, int]

    def messages(self) -> list[str]:
        """Lines for the end of a run."""
        return run_messages(self.observations, self.reconciliation, self.target_progress)


#: Derived rows are counted by measure under these names.
DERIVATION_NAMES = {"level": "monthly", "yoy_pct": "growth", "share_pct": "share", "rank": "rank"}


def published_count(observations: pd.DataFrame) -> int:
    """Observations read from the inputs (the table's rows minus the derived ones)."""
    return int((observations["source_id"] != DERIVED_SOURCE).sum())


def run_messages(observations: pd.DataFrame, reconciliation: pd.DataFrame, progress: pd.DataFrame) -> list[str]:
    """What a run prints about this stage: derived rows by kind, targets, reconciliation."""
    derived = observations.loc[observations["source_id"] == DERIVED_SOURCE, "measure"].map(DERIVATION_NAMES)
    counts = ", ".join(f"{int((derived == name).sum())} {name}" for name in DERIVATION_NAMES.values())
    with_progress = int(progress["progress_pct"].notna().sum())
    return [
        f"Derived {len(derived)} observation(s): {counts}.",
        f"Targets: {len(progress)}, {with_progress} with a level to measure progress against.",
        summarise(reconciliation),
    ]


def _shown_by_default(derived: pd.DataFrame, published: pd.DataFrame) -> pd.Series:
    """A derived row is the default view unless a publisher printed the same figure."""
    if derived.empty:
        return pd.Series([], dtype="bool")
    keys = list(FIGURE_KEY)
    printed = published[keys].drop_duplicates().assign(_printed=True)
    merged = derived[keys].merge(printed, on=keys, how="left")
    return pd.Series(merged["_printed"].isna().to_numpy(), index=derived.index)


def _like_input(frame: pd.DataFrame, template: pd.DataFrame) -> pd.DataFrame:
    """Date columns in the input's representation (the pipeline carries ``datetime.date``)."""
    out = frame.copy()
    for column in DATE_COLUMNS:
        if column in template and not pd.api.types.is_datetime64_any_dtype(template[column]):
            out[column] = out[column].dt.date.astype("object").where(out[column].notna(), None)
    return out


def assert_unique_key(observations: pd.DataFrame) -> None:
    """The observation key is unique (a derived row never collides with a published one)."""
    duplicated = observations.duplicated(list(OBSERVATION_KEY), keep=False)
    if duplicated.any():
        sample = observations.loc[duplicated, list(OBSERVATION_KEY)].head(5).to_string()
        raise ValueError(f"observation key not unique after derivation:\n{sample}")


def derive_all(observations: pd.DataFrame, regions: pd.DataFrame) -> DeriveResult:
    """Add derived observations; build the reconciliation and target-progress tables."""
    published = as_timestamps(observations)
    parts = {
        "monthly": monthly_from_cumulative(published),
        "growth": yoy_growth(published),
        "share": shares_of_parent(published, regions),
        "rank": ranks_among_siblings(published, regions),
    }
    derived = pd.concat(list(parts.values()), ignore_index=True)
    derived["is_default"] = _shown_by_default(derived, published)
    combined = pd.concat([published[list(COLUMNS)], derived], ignore_index=True)
    assert_unique_key(combined)
    return DeriveResult(
        observations=_like_input(combined, observations),
        reconciliation=reconcile_figures(published, regions),
        target_progress=target_progress(published),
        derived_counts={kind: len(frame) for kind, frame in parts.items()},
    )
