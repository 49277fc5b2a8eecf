"""Several app servers behind a load balancer: sessions and uploads must not live on one
server's disk. Two gunicorn servers on different loopback ports share one PostgreSQL and
one upload directory; a unit contact logs in and uploads through the first and goes on and
downloads through the second.

Runs in the PostgreSQL pass of `make test` (the SQLite test database lives in memory, so
another process cannot reach it).
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.support import factories
from tests.support.applications import pdf_bytes, register

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    """The URL the suite runs with, pointed at the test database pytest-django created."""
    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return urllib.parse.urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def _environment(tmp_path) -> dict:
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "two-servers-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: a real deployment terminates TLS in front of the servers.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DATABASE_URL": _database_url(),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "shared-uploads"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "EMAIL_URL": "consolemail://",
    }


def _start(port: int, env: dict, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(log.read_text())
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start on port {port}")


class Browser:
    """A cookie-keeping HTTP client that can talk to any of the servers."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url) -> tuple[int, bytes, dict]:
        with self.opener.open(url, timeout=20) as response:
            return response.status, response.read(), dict(response.headers)

    def post(self, url, fields: dict, *, files: dict | None = None, referer: str) -> tuple[int, bytes]:
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        fields = {**fields, "csrfmiddlewaretoken": token}
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                )
            for name, (filename, content) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: application/octet-stream\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": content_type, "Referer": referer}, method="POST"
        )
        with self.opener.open(request, timeout=20) as response:
            return response.status, response.read()


@pytest.fixture
def servers(tmp_path):
    if connection.vendor != "postgresql" or not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip(
            "Needs PostgreSQL: the servers run as separate processes (the PostgreSQL pass runs this)."
        )
    env = _environment(tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    ports = [_free_port(), _free_port()]
    processes = []
    logs = [tmp_path / f"server-{port}.log" for port in ports]
    try:
        for port, log in zip(ports, logs, strict=True):
            processes.append(_start(port, env, log))
        yield [f"http://127.0.0.1:{port}" for port in ports], Path(env["DJANGO_MEDIA_ROOT"])
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        # The servers' own logs, shown by pytest when the test failed.
        for log in logs:
            print(log.read_text()[-4000:])


def test_second_server_continues_the_session_and_serves_the_upload(
    servers, cycle, unit, unit_contact, settings
):
    (first, second), uploads = servers
    application = register(cycle, unit, unit_contact)
    # The servers verify passwords with the production hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    unit_contact.set_password(factories.PASSWORD)
    unit_contact.save()
    browser = Browser()

    browser.get(f"{first}/logga-in/")
    status, _body = browser.post(
        f"{first}/logga-in/",
        {"username": unit_contact.username, "password": factories.PASSWORD},
        referer=f"{first}/logga-in/",
    )
    assert status == 200
    detail = f"/bidrag/{application.pk}/"
    status, page, _headers = browser.get(first + detail)
    assert status == 200 and application.code in page.decode()
    content = pdf_bytes(2000)
    browser.post(
        f"{first}/bidrag/{application.pk}/bilagor/",
        {"description": "Verksamhetsplan"},
        files={"file": ("verksamhetsplan.pdf", content)},
        referer=first + detail,
    )
    assert any(uploads.rglob("*")), "the upload must land in the shared upload store"

    # The second server knows the session and finds the file the first one stored.
    status, page, _headers = browser.get(second + detail)
    assert status == 200 and "verksamhetsplan.pdf" in page.decode()
    link = re.search(rf'href="(/bidrag/{application.pk}/bilagor/\d+/)"', page.decode())
    assert link, "the application page links the attachment"
    status, body, headers = browser.get(second + link.group(1))
    assert status == 200 and body == content
    assert headers["Content-Type"].startswith("application/pdf")
