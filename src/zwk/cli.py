"""The `zwk` command: demo, serve, createuser, manage (Django), demography (the engine),
register (the official municipality register)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["demography"]:
        from zwk.demography.cli import main as demography_main

        return demography_main(argv[1:])
    if argv[:1] == ["register"]:
        from zwk.demography.register.cli import main as register_main

        return register_main(argv[1:])
    if argv[:1] == ["manage"]:
        return _manage(argv[1:])
    args = _parser().parse_args(argv)
    if not getattr(args, "handler", None):
        _parser().print_help()
        return 0
    return args.handler(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zwk", description="ZWK – Zukunftswerkstatt Kommunen")
    sub = parser.add_subparsers(title="commands")

    demo = sub.add_parser("demo", help="migrate, load the synthetic demo data, print logins, serve")
    demo.add_argument("--no-serve", action="store_true", help="only prepare the demo")
    demo.add_argument("--reset", action="store_true", help="start again from an empty database")
    _server_options(demo)
    demo.set_defaults(handler=_demo)

    serve = sub.add_parser("serve", help="serve the app (gunicorn; --dev: Django's dev server)")
    _server_options(serve)
    serve.add_argument("--dev", action="store_true")
    serve.set_defaults(handler=_serve)

    user = sub.add_parser("createuser", help="create a user (password from ZWK_PASSWORD or prompt)")
    user.add_argument("username")
    user.add_argument("--email", default="")
    user.add_argument("--superuser", action="store_true")
    user.set_defaults(handler=_createuser)

    sub.add_parser("manage", help="run a Django management command, e.g. `zwk manage migrate`")
    sub.add_parser("demography", help="the demography engine: inspect, indicators, project …")
    sub.add_parser("register", help="the municipality register: show, search, load, info")
    return parser


def _server_options(parser: argparse.ArgumentParser) -> None:
    """Where and how gunicorn serves; the environment sets the defaults (see docs/serving.md)."""
    parser.add_argument("--host", default=os.environ.get("ZWK_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=_env_int("ZWK_PORT", 8000))
    parser.add_argument("--workers", type=int, default=_env_int("ZWK_WORKERS", 2),
                        help="app processes (default 2, env ZWK_WORKERS)")
    parser.add_argument("--threads", type=int, default=_env_int("ZWK_THREADS", 4),
                        help="threads per process (default 4, env ZWK_THREADS)")
    parser.add_argument("--timeout", type=int, default=_env_int("ZWK_TIMEOUT", 60),
                        help="seconds before a silent worker is restarted (default 60, "
                             "env ZWK_TIMEOUT)")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} muss eine ganze Zahl sein, nicht „{value}“.") from None


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwk.config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns without it


def _manage(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwk.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zwk manage", *argv])
    return 0


def _demo(args) -> int:
    os.environ["ZWK_DEMO"] = "1"
    if args.reset:
        _remove_demo_database()
    _setup_django()
    from django.core.management import call_command

    from zwk.core import demo

    call_command("migrate", interactive=False, verbosity=0)
    logins = demo.load()
    print("ZWK-Demo – alle Daten sind synthetisch (Demodaten), keine amtlichen Angaben.")
    for line in demo.login_lines(logins):
        print(line)
    print(f"Öffnen Sie http://{args.host}:{args.port}/ im Browser.", flush=True)
    if args.no_serve:
        return 0
    # Serve from a fresh process, not from this one that loaded the demo: whatever the loading
    # left behind (threads, connections, a started chart runtime) must not reach forked workers.
    os.execv(sys.executable, [sys.executable, "-m", "zwk.cli", "serve", *_server_argv(args)])
    return 0  # not reached


def _server_argv(args) -> list[str]:
    return ["--host", args.host, "--port", str(args.port), "--workers", str(args.workers),
            "--threads", str(args.threads), "--timeout", str(args.timeout)]


def _remove_demo_database() -> None:
    from pathlib import Path

    data_dir = Path(os.environ.get("ZWK_DATA_DIR", Path.cwd() / "var"))
    for suffix in ("", "-wal", "-shm"):
        (data_dir / f"zwk.sqlite3{suffix}").unlink(missing_ok=True)


def _serve(args) -> int:
    _setup_django()
    if args.dev:
        from django.core.management import call_command

        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
        return 0
    from gunicorn.app.wsgiapp import run

    # Further gunicorn options (e.g. --preload) can be given in GUNICORN_CMD_ARGS.
    sys.argv = ["gunicorn", "zwk.config.wsgi:application", "--bind", f"{args.host}:{args.port}",
                "--workers", str(args.workers), "--threads", str(args.threads),
                "--timeout", str(args.timeout), "--access-logfile", "-", *_control_socket()]
    run()
    return 0


def _control_socket() -> list[str]:
    """gunicorn >= 24 opens a control socket, by default one per user: one per data folder
    instead, so that several servers on one machine do not take each other's."""
    from django.conf import settings
    from gunicorn.config import KNOWN_SETTINGS

    if not any(setting.name == "control_socket" for setting in KNOWN_SETTINGS):
        return []
    return ["--control-socket", str(settings.DATA_DIR / "gunicorn.ctl")]


def _createuser(args) -> int:
    _setup_django()
    from django.contrib.auth import get_user_model

    password = os.environ.get("ZWK_PASSWORD") or getpass.getpass("Passwort: ")
    if not password:
        print("Ein Passwort ist nötig (ZWK_PASSWORD oder Eingabe).", file=sys.stderr)
        return 2
    user_model = get_user_model()
    if user_model.objects.filter(username=args.username).exists():
        print(f"Den Benutzernamen „{args.username}“ gibt es schon.", file=sys.stderr)
        return 2
    create = user_model.objects.create_superuser if args.superuser else user_model.objects.create_user
    create(username=args.username, email=args.email, password=password)
    print(f"Benutzer:in „{args.username}“ ist angelegt.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
