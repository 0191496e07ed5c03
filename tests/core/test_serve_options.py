"""`zwk serve`/`zwk demo`: workers, threads and time-out from flags or the environment."""

from __future__ import annotations

import pytest

from zwk.cli import _parser, _server_argv


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_defaults_come_from_the_environment(monkeypatch, command):
    monkeypatch.setenv("ZWK_WORKERS", "5")
    monkeypatch.setenv("ZWK_TIMEOUT", "90")
    monkeypatch.setenv("ZWK_THREADS", "3")
    args = _parser().parse_args([command])
    assert (args.workers, args.timeout, args.threads) == (5, 90, 3)


def test_flags_win_over_the_environment(monkeypatch):
    monkeypatch.setenv("ZWK_WORKERS", "5")
    args = _parser().parse_args(["serve", "--workers", "1", "--timeout", "120"])
    assert (args.workers, args.timeout) == (1, 120)


def test_without_environment_the_defaults_hold(monkeypatch):
    for name in ("ZWK_WORKERS", "ZWK_TIMEOUT", "ZWK_THREADS", "ZWK_HOST", "ZWK_PORT"):
        monkeypatch.delenv(name, raising=False)
    args = _parser().parse_args(["serve"])
    assert (args.host, args.port, args.workers, args.threads, args.timeout) == (
        "127.0.0.1", 8000, 2, 4, 60)


def test_a_bad_number_stops_with_a_german_message(monkeypatch):
    monkeypatch.setenv("ZWK_TIMEOUT", "lang")
    with pytest.raises(SystemExit) as stopped:
        _parser()
    assert "ZWK_TIMEOUT muss eine ganze Zahl sein" in str(stopped.value)


def test_demo_hands_its_server_options_to_serve(monkeypatch):
    args = _parser().parse_args(["demo", "--port", "8123", "--workers", "3", "--timeout", "45"])
    argv = _server_argv(args)
    served = _parser().parse_args(["serve", *argv])
    assert (served.port, served.workers, served.timeout) == (8123, 3, 45)
