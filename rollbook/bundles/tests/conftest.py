"""Fixtures for bundle tests: a writable copy of a small synthetic bundle."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .helpers import BundleFolder

FIXTURES = Path(__file__).parent / "bundles"


@pytest.fixture
def small_bundle(tmp_path) -> BundleFolder:
    """A writable copy of the small bundle: 7 pupils, 120 marks, school-2023, 2025/26."""
    path = tmp_path / "small"
    shutil.copytree(FIXTURES / "small", path)
    return BundleFolder(path)
