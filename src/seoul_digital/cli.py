"""The `seoul-digital` command: serve, worker, demo-data, check, and one group per programme.

Engine subcommands (``sewer synth``, ``quality check`` …) never start Django; platform
subcommands set it up on demand. A configuration error prints one line and exits 2.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

import click

PROGRAMME_APPS = ("sewer", "siting", "bikes", "quality", "inclusion", "governance")


class PlatformGroup(click.Group):
    """The root group. A programme's command group is imported only when it is asked for
    (or listed by --help), so `seoul-digital quality check` does not pay for loading the
    other five programmes' commands."""

    def _programme_group(self, name: str):
        try:
            module = import_module(f"seoul_digital.{name}.cli")
        except ModuleNotFoundError as err:
            if err.name != f"seoul_digital.{name}.cli":
                raise
            return None
        return getattr(module, "group", None)

    def list_commands(self, ctx):
        names = set(super().list_commands(ctx))
        names.update(app for app in PROGRAMME_APPS if self._programme_group(app) is not None)
        return sorted(names)

    def get_command(self, ctx, cmd_name):
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in PROGRAMME_APPS:
            command = self._programme_group(cmd_name)
        return command


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seoul_digital.config.settings")
    import django

    django.setup()


@click.group(cls=PlatformGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="seoul-digital")
def cli() -> None:
    """서울디지털재단 플랫폼 (Seoul Digital Foundation platform)."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="web server processes")
@click.option("--with-worker/--no-worker", default=False,
              help="also run a background-job worker beside the web server")
@click.option("--no-migrate", is_flag=True, help="skip applying database migrations first")
def serve(host: str, port: int, workers: int, with_worker: bool, no_migrate: bool) -> None:
    """Migrate, then serve the platform with gunicorn."""
    import signal
    import subprocess

    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if not no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)
    gunicorn = [sys.executable, "-m", "gunicorn", "seoul_digital.config.wsgi:application",
                "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4",
                "--access-logfile", "-", "--timeout", "120"]
    children = []
    if with_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "seoul_digital", "worker"]))
    web = subprocess.Popen(gunicorn)
    children.append(web)
    click.echo(f"서울디지털재단 플랫폼: http://{host}:{port}/  (Ctrl+C to stop)")

    def stop(*_args):
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        code = web.wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        stop()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
    sys.exit(code)


@cli.command()
@click.option("--queue", default="default", show_default=True)
@click.option("--interval", default=1.0, show_default=True, type=float,
              help="seconds between polls for new jobs")
def worker(queue: str, interval: float) -> None:
    """Run background jobs (screening, checks, optimisation) from the task queue."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_rq"):
        call_command("rqworker", queue)
    else:
        call_command("db_worker", queue_name=queue, interval=interval)


@cli.command("demo-data")
def demo_data() -> None:
    """Load demo accounts for every role and sample records (safe to run again)."""
    setup_django()
    from django.core.management import call_command

    from seoul_digital.core.demo import load_demo

    call_command("migrate", interactive=False, verbosity=0)
    for line in load_demo():
        click.echo(line)


@cli.command()
@click.option("--deploy/--no-deploy", default=True, show_default=True,
              help="include Django's deployment checks")
def check(deploy: bool) -> None:
    """Deployment self-check: settings, database, migrations, static files, data folders."""
    setup_django()
    from seoul_digital.core.selfcheck import run_checks

    problems = 0
    for ok, line in run_checks(deploy=deploy):
        click.echo(("  ok   " if ok else "  FAIL ") + line)
        problems += 0 if ok else 1
    if problems:
        click.echo(f"{problems} problem(s) found.", err=True)
        sys.exit(1)
    click.echo("All checks passed.")


@cli.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (e.g. `seoul-digital manage migrate`)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["seoul-digital manage", *args])


@cli.group()
def token() -> None:
    """API tokens."""


@token.command("create")
@click.argument("username")
@click.option("--name", default="cli", show_default=True)
def token_create(username: str, name: str) -> None:
    """Create an API token for USERNAME and print it once."""
    setup_django()
    from django.contrib.auth import get_user_model

    from seoul_digital.core.services import do_create_token

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"no user named '{username}'")
    _token, key = do_create_token(user, name)
    click.echo(key)


def main() -> None:
    try:
        cli.main(prog_name="seoul-digital", standalone_mode=True)
    except Exception as err:
        # Only a command that started Django can raise Django's configuration error.
        exceptions = sys.modules.get("django.core.exceptions")
        if exceptions is not None and isinstance(err, exceptions.ImproperlyConfigured):
            click.echo(f"seoul-digital: configuration error: {err}", err=True)
            sys.exit(2)
        raise


if __name__ == "__main__":
    main()
