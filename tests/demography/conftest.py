"""Fixtures for the demography tests: data files, synthetic datasets, hypothesis profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from zwk.demography.synthetic import hochsauerlandkreis

# Hypothesis settings live on each property test (see PROPERTY in the test modules), so this
# directory never changes the global hypothesis profile other test suites run with.

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def hsk():
    """Synthetic Hochsauerlandkreis as the official tables would hold it (2011–2023)."""
    return hochsauerlandkreis(seed=7)


@pytest.fixture(scope="session")
def hsk_full():
    """The same simulation with every region by single years (the simulation's truth)."""
    return hochsauerlandkreis(seed=7, detail="full")


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory):
    from zwk.demography.synthetic import write_demo_files

    directory = tmp_path_factory.mktemp("demo")
    return write_demo_files(directory, seed=7)
