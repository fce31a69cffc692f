"""Load-test the 08:55 rush on loopback: every class submits its register within one minute.

Usage: ``python -m bench.rush [--database sqlite|postgres] [--port 8781] [--window 60]``

A 2,000-pupil school (66 classes of 30 and one of 20) is built in a fresh database. Rollbook
then runs as a real server process (Django's threaded ``runserver`` without the reloader, in
production settings) on 127.0.0.1, with its clock set to 08:55 on a school day. Each class's
teacher, at a start time spread evenly over the window, loads the register page and posts it
back marked (27 present, two late arrival times, one N) over plain HTTP. Meanwhile office
pollers fetch the missing-registers board's rows every two seconds, as the page's htmx does
every 15 seconds, so the board is read more often than in real use.

Every request counts as an error unless it returns the expected status (200 for pages, 302
after a save). At the end the run checks that the database has one mark per pupil and one
submission per class. Traffic goes to 127.0.0.1 only, and the run stops by itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

from .database import BenchDatabase, setup_django, sqlite_database
from .registers_school import LONDON, build_school, create_postgres, drop_postgres, summary_ms

PUPILS = 2000
PER_CLASS = 30
CLASSES = -(-PUPILS // PER_CLASS)
REGISTER_DAY = dt.date(2025, 10, 6)  # a Monday in the benchmark's first half-term
POLL_EVERY_SECONDS = 2.0
REQUEST_TIMEOUT_SECONDS = 30
TARGET_P99_MS = 300
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def serve(port: int, clock_start: str) -> None:
    """Run Rollbook's server with its clock starting at ``clock_start`` (ISO, with offset)."""
    import django
    from django.core.management import call_command
    from django.utils import timezone

    django.setup()
    real_now = timezone.now
    offset = dt.datetime.fromisoformat(clock_start) - real_now()
    timezone.now = lambda: real_now() + offset
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, skip_checks=True)


class Recorder:
    """Thread-safe list of (kind, seconds, ok, detail) for every request."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows: list[tuple[str, float, bool, str]] = []

    def add(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.rows.append((kind, seconds, ok, detail))


def request(port: int, method: str, path: str, cookies: dict[str, str], body: str | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str], float]:
    """Send one HTTP request to 127.0.0.1 and return (status, body, set cookies, seconds)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
    all_headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    all_headers.update(headers or {})
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    elapsed = time.perf_counter() - started
    set_cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        set_cookies[name.strip()] = rest.split(";", 1)[0]
    return response.status, text, set_cookies, elapsed


def take_register(port: int, recorder: Recorder, path: str, session_id: str, pupil_ids: list[int]) -> None:
    cookies = {"sessionid": session_id}
    try:
        status, text, set_cookies, seconds = request(port, "GET", path, cookies)
        token = CSRF_FIELD.search(text)
        recorder.add("load register", seconds, status == 200 and token is not None, f"GET {status}")
        if status != 200 or token is None:
            return
        cookies.update(set_cookies)
        fields = [("csrfmiddlewaretoken", token.group(1))]
        for index, pupil_id in enumerate(pupil_ids):
            fields.append((f"loaded-{pupil_id}", ""))
            if index in (3, 17):
                fields.append((f"arrived-{pupil_id}", "08:58" if index == 3 else "09:04"))
            elif index == 25:
                fields.append((f"code-{pupil_id}", "N"))
            else:
                fields.append((f"code-{pupil_id}", "/"))
        body = "&".join(f"{quote(name)}={quote(value)}" for name, value in fields)
        status, _, _, seconds = request(port, "POST", path, cookies, body)
        recorder.add("save register", seconds, status == 302, f"POST {status}")
    except (OSError, http.client.HTTPException) as error:
        recorder.add("error", 0.0, False, f"{path}: {error!r}")


def poll_board(port: int, recorder: Recorder, path: str, session_id: str, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            status, _, _, seconds = request(port, "GET", path, {"sessionid": session_id}, headers={"HX-Request": "true"})
            recorder.add("board rows", seconds, status == 200, f"GET {status}")
        except (OSError, http.client.HTTPException) as error:
            recorder.add("error", 0.0, False, f"{path}: {error!r}")
        stop.wait(POLL_EVERY_SECONDS)


def wait_for_server(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with status {process.returncode} before it responded")
        try:
            request(port, "GET", "/login/", {})
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server on 127.0.0.1:{port} did not respond within {seconds:.0f} s")


def run(port: int, window: float, pollers: int, log_path: Path) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, connections
    from django.test import Client
    from django.urls import reverse

    from rollbook.registers.models import MarkRevision, RegisterSubmission
    from rollbook.schools.models import Placement

    school = build_school(classes=CLASSES, pupils_per_class=PER_CLASS, total_pupils=PUPILS)
    users = get_user_model().objects.in_bulk(field_name="username")
    sessions = {}
    for username in [*school.teacher_usernames.values(), school.office_username]:
        client = Client()
        client.force_login(users[username])
        sessions[username] = client.cookies["sessionid"].value
    pupils_by_class: dict[str, list[int]] = {}
    for class_name, pupil_id in Placement.objects.order_by("pupil__surname").values_list("class_name", "pupil_id"):
        pupils_by_class.setdefault(class_name, []).append(pupil_id)
    vendor = connection.vendor
    connections.close_all()

    clock_start = dt.datetime.combine(REGISTER_DAY, dt.time(8, 55), tzinfo=LONDON).isoformat()
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "bench.rush", "--serve", str(port), clock_start],
            stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parent.parent,
        )
    try:
        wait_for_server(port, server)
        recorder = Recorder()
        stop = threading.Event()
        board_path = reverse("registers:board_rows", args=[school.school_id])
        board_threads = [
            threading.Thread(target=poll_board, args=(port, recorder, board_path, sessions[school.office_username], stop))
            for _ in range(pollers)
        ]
        for thread in board_threads:
            thread.start()

        started = time.monotonic()
        class_threads = []
        for index, class_name in enumerate(school.class_names):
            path = reverse("registers:take", args=[school.school_id, REGISTER_DAY.isoformat(), "AM", class_name])
            start_at = started + window * index / len(school.class_names)
            thread = threading.Timer(
                max(0.0, start_at - time.monotonic()), take_register,
                args=(port, recorder, path, sessions[school.teacher_usernames[class_name]], pupils_by_class[class_name]),
            )
            thread.start()
            class_threads.append(thread)
        for thread in class_threads:
            thread.join(window + 2 * REQUEST_TIMEOUT_SECONDS)
        elapsed = time.monotonic() - started
        stop.set()
        for thread in board_threads:
            thread.join(REQUEST_TIMEOUT_SECONDS + POLL_EVERY_SECONDS)
    finally:
        server.terminate()
        server.wait(10)

    marks = MarkRevision.objects.filter(date=REGISTER_DAY, session="AM").count()
    submissions = RegisterSubmission.objects.filter(date=REGISTER_DAY, session="AM").count()
    all_seconds = [seconds for kind, seconds, ok, _ in recorder.rows if kind != "error"]
    errors = [f"{kind}: {detail}" for kind, _, ok, detail in recorder.rows if not ok]
    by_kind = {}
    for kind in ("load register", "save register", "board rows"):
        values = [seconds for row_kind, seconds, _, _ in recorder.rows if row_kind == kind]
        if values:
            by_kind[kind] = summary_ms(values)
    overall = summary_ms(all_seconds)
    return {
        "database": vendor,
        "pupils": PUPILS,
        "classes": len(school.class_names),
        "window_seconds": window,
        "elapsed_seconds": round(elapsed, 1),
        "requests": len(recorder.rows),
        "errors": len(errors),
        "first_errors": errors[:5],
        "marks_recorded": marks,
        "submissions_recorded": submissions,
        "overall": overall,
        "by_kind": by_kind,
        "meets_target": not errors and marks == PUPILS and overall["p99_ms"] < TARGET_P99_MS,
    }


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--serve"]:
        serve(int(argv[1]), argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--port", type=int, default=8781, help="loopback port for the server (default 8781)")
    parser.add_argument("--window", type=float, default=60, help="seconds over which the classes start (default 60)")
    parser.add_argument("--pollers", type=int, default=3, help="office pages polling the board (default 3)")
    args = parser.parse_args(argv)

    os.environ["ROLLBOOK_ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    os.environ.setdefault("ROLLBOOK_LOG_LEVEL", "WARNING")
    with tempfile.TemporaryDirectory(prefix="rb_rush_") as folder:
        name = "rb_browser_rush"
        if args.database == "postgres":
            database = BenchDatabase(kind="postgres", name=name, url=create_postgres(name))
        else:
            database = sqlite_database(Path(folder) / "rush.sqlite3")
        try:
            setup_django(database, Path(folder))
            from django.core.management import call_command

            # Production settings serve static files from a manifest that collectstatic writes.
            call_command("collectstatic", verbosity=0, interactive=False)
            result = run(args.port, args.window, args.pollers, Path(folder) / "server.log")
        finally:
            if args.database == "postgres":
                from django.db import connections

                connections.close_all()
                drop_postgres(name)
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
