"""Worker functions for tests/review/test_batch.py. They live in a module of their own because batch
workers are separate processes that import the function by name."""
from __future__ import annotations

import os

from core.review.batch import review_file


def crash_on_marked(path: str, root: str = "", report_type: str | None = None):
    """Like review_file, but the worker process dies on a file whose name contains "crash"."""
    if "crash" in os.path.basename(path):
        os._exit(3)
    return review_file(path, root, report_type)
