"""Live fetch through pystatis – tested with a recorded response only, never over the network."""

from __future__ import annotations

import pytest

from zwk.demography import DemographyError
from zwk.demography.io.genesis import credentials_available, fetch_table


class RecordedTable:
    """Stands in for ``pystatis.Table``: answers ``fetch`` with a recorded ffcsv response."""

    calls: list = []

    def __init__(self, name: str, response: str) -> None:
        self.name, self.raw_data, self._response = name, "", response

    def fetch(self, **params) -> None:
        RecordedTable.calls.append((self.name, params))
        self.raw_data = self._response


def test_fetch_parses_recorded_response_like_a_downloaded_file(data_dir):
    response = (data_dir / "recorded" / "pystatis_12411-02-03-5_Hallenberg.csv").read_text(
        encoding="utf-8-sig")
    ds = fetch_table("12411-02-03-5", regionalkey="05958020", startyear="2022",
                     table_class=lambda name: RecordedTable(name, response))
    assert ds.regions == ["05958020"]
    assert ds.totals()["total"].iloc[0] == 4302
    name, params = RecordedTable.calls[-1]
    assert name == "12411-02-03-5"
    assert params["regionalkey"] == "05958020" and params["prettify"] is False


def test_api_failure_becomes_a_german_library_error():
    class Failing(RecordedTable):
        def fetch(self, **params):
            raise RuntimeError("HTTP 401")

    with pytest.raises(DemographyError, match="fehlgeschlagen"):
        fetch_table("12411-02-03-5", table_class=lambda name: Failing(name, ""))


def test_missing_credentials_are_reported_before_any_request(monkeypatch):
    monkeypatch.delenv("PYSTATIS_REGIO_API_USERNAME", raising=False)
    monkeypatch.delenv("PYSTATIS_REGIO_API_PASSWORD", raising=False)
    assert not credentials_available("regio")
    with pytest.raises(DemographyError, match="Zugangsdaten"):
        fetch_table("12411-02-03-5")
