"""A serving process collects garbage rarely and never rescans what it loaded at start-up."""

from __future__ import annotations

import gc

from dashboard.collector import OLDER_THRESHOLDS, YOUNG_THRESHOLD, tune_for_serving


def test_serving_freezes_the_start_up_objects_and_collects_less_often():
    before = gc.get_threshold()
    try:
        tune_for_serving()
        assert gc.get_threshold() == (YOUNG_THRESHOLD, *OLDER_THRESHOLDS)
        assert gc.get_freeze_count() > 10_000  # the imported libraries, moved out of every scan
        assert before[0] < YOUNG_THRESHOLD
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
