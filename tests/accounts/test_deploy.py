"""Production settings pass Django's deployment checklist, send mail for real, and every
response carries a Content-Security-Policy and a Permissions-Policy."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    production = {
        **os.environ,
        "QUORUM_ENVIRONMENT": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "postgres://quorum@db.internal:5432/quorum",
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or "redis://redis.internal:6379/0",
        "ALLOWED_HOSTS": "committees.example.gov.uk",
        "EMAIL_HOST": "smtp.example.gov.uk",
        "QUORUM_SITE_URL": "https://committees.example.gov.uk",
        **env,
    }
    for name in ("DEBUG", "EMAIL_BACKEND", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"):
        if name not in env:
            production.pop(name, None)
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=production, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_checklist():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checklist_asks_for_the_site_s_address_that_emails_link_to():
    """Every alert's links, its one-click unsubscribe among them, point at QUORUM_SITE_URL:
    left at the demo's http://127.0.0.1:8000 in production, they would lead nowhere."""
    for address in ("", "https://127.0.0.1:8000", "https://localhost"):
        result = _manage("check", "--deploy", "--fail-level", "WARNING", QUORUM_SITE_URL=address)
        assert result.returncode != 0, address
        assert "QUORUM_SITE_URL" in result.stderr + result.stdout
    result = _manage("check", "--deploy", "--fail-level", "WARNING", QUORUM_SITE_URL="http://committees.example.gov.uk")
    assert result.returncode != 0
    assert "https" in result.stderr + result.stdout


@pytest.mark.parametrize("value", ["lots", "2.5"])
def test_a_number_setting_that_is_not_a_whole_number_is_named_at_start_up(value):
    result = _manage("check", QUORUM_ALERTS_BATCH_SIZE=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured: QUORUM_ALERTS_BATCH_SIZE must be a whole number" in result.stderr


def test_a_number_setting_left_empty_takes_its_default():
    """An orchestrator often passes a variable it has no value for as empty."""
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.QUORUM_ALERTS_BATCH_SIZE)",
        QUORUM_ALERTS_BATCH_SIZE="",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "200"


@pytest.mark.parametrize("backend", ["console", "filebased", "locmem", "dummy"])
def test_production_refuses_an_email_backend_that_does_not_send(backend):
    result = _manage("check", EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"refuses EMAIL_BACKEND=django.core.mail.backends.{backend}.EmailBackend" in result.stderr


def test_production_sends_mail_by_smtp():
    """On the submission port with STARTTLS, giving up on a silent server after 30 s (README)."""
    code = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT)"
    )
    result = _manage("shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert "django.core.mail.backends.smtp.EmailBackend smtp.example.gov.uk 587 True False 30" in result.stdout


def test_production_defaults_are_those_the_readme_gives():
    """DEBUG stays off even when asked for; officers must use two-factor sign-in; one proxy is
    trusted; pages are kept in the broker's Redis; connections are kept a minute."""
    code = (
        "from django.conf import settings as s; c = s.CACHES['default']; "
        "print(s.DEBUG, s.QUORUM_TWO_FACTOR_REQUIRED_FOR_OFFICERS, s.QUORUM_TRUSTED_PROXIES, "
        "c['BACKEND'].rsplit('.', 1)[-1], c['LOCATION'] == s.CELERY_BROKER_URL, s.DATABASES['default']['CONN_MAX_AGE'])"
    )
    result = _manage("shell", "-c", code, DEBUG="1", DATABASE_URL="postgres://quorum@db.internal:5432/quorum")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False True 1 RedisCache True 60"


def test_the_daily_digest_goes_at_the_hour_set():
    code = (
        "from django.conf import settings as s; e = s.CELERY_BEAT_SCHEDULE['alerts-daily-digest']['schedule']; "
        "print(sorted(e.hour), sorted(e.minute), s.CELERY_TIMEZONE)"
    )
    assert _manage("shell", "-c", code).stdout.strip().splitlines()[-1] == "[7] [0] Europe/London"
    assert _manage("shell", "-c", code, QUORUM_ALERTS_DIGEST_HOUR="6").stdout.strip().splitlines()[-1] == (
        "[6] [0] Europe/London"
    )


def test_a_pack_build_stops_at_the_task_time_limits_set():
    """A build that hangs (a malformed PDF) is stopped at CELERY_TASK_SOFT_TIME_LIMIT and
    killed at CELERY_TASK_TIME_LIMIT, as README says; the pack's own tasks read no other."""
    code = (
        "from committee.pack import tasks as t; "
        "print([(x.soft_time_limit, x.time_limit) for x in (t.build_agenda_pack, t.prerender_papers)])"
    )
    said = _manage("shell", "-c", code, CELERY_TASK_SOFT_TIME_LIMIT="120", CELERY_TASK_TIME_LIMIT="150")
    assert said.stdout.strip().splitlines()[-1] == "[(120, 150), (120, 150)]"


def test_the_council_s_address_is_on_lines_however_the_environment_file_writes_them():
    code = "from committee.pack.content import _common; print(_common('x')['council_address_lines'])"
    written = r"PO Box 78\nCounty Hall\nFishergate, Preston"
    said = _manage("shell", "-c", code, QUORUM_COUNCIL_ADDRESS=written).stdout.strip().splitlines()[-1]
    assert said == "['PO Box 78', 'County Hall', 'Fishergate, Preston']"
    said = _manage("shell", "-c", code, QUORUM_COUNCIL_ADDRESS="County Hall\nPreston").stdout.strip().splitlines()[-1]
    assert said == "['County Hall', 'Preston']"


def test_production_redirects_http_to_https_behind_the_proxy():
    code = (
        "from django.test import Client; c = Client(HTTP_HOST='committees.example.gov.uk'); "
        "r = c.get('/api/schema/'); print(r.status_code, r['Location']); "
        "r = c.get('/api/schema/', HTTP_X_FORWARDED_PROTO='https'); print(r.status_code, r['Strict-Transport-Security'])"
    )
    result = _manage("shell", "-c", code)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-2] == "301 https://committees.example.gov.uk/api/schema/"
    assert lines[-1] == "200 max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_every_page_forbids_inline_script_and_browser_features(client, committee):
    for url in ["/", "/accounts/login/", "/admin/login/", f"/committees/{committee.slug}/"]:
        response = client.get(url)
        policy = dict(directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";"))
        assert policy["script-src"] == "'self'", url
        assert policy["style-src"] == "'self'", url
        assert policy["object-src"] == "'none'", url
        assert policy["frame-ancestors"] == "'none'", url
        assert "camera=()" in response["Permissions-Policy"], url
        assert "microphone=()" in response["Permissions-Policy"], url
        assert "geolocation=()" in response["Permissions-Policy"], url


def test_the_api_documentation_alone_may_style_itself_and_nothing_comes_from_elsewhere(client, db):
    docs = client.get("/api/docs/")["Content-Security-Policy"]
    home = client.get("/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in docs.split("style-src ")[1].split(";")[0]
    assert "'unsafe-inline'" not in home.split("style-src ")[1].split(";")[0]
    assert "https:" not in docs and "http:" not in docs


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("QUORUM_ALERTS_BATCH_SIZE", "0", "QUORUM_ALERTS_BATCH_SIZE must be 1 or more; it is 0."),
        ("QUORUM_ALERTS_DIGEST_HOUR", "25", "QUORUM_ALERTS_DIGEST_HOUR must be from 0 to 23; it is 25."),
        ("QUORUM_ALERTS_LEASE_SECONDS", "0", "QUORUM_ALERTS_LEASE_SECONDS must be 1 or more; it is 0."),
        ("QUORUM_PAGE_CACHE_SECONDS", "-5", "QUORUM_PAGE_CACHE_SECONDS must be 0 or more; it is -5."),
        ("EMAIL_PORT", "0", "EMAIL_PORT must be from 1 to 65535; it is 0."),
        ("EMAIL_PORT", "65536", "EMAIL_PORT must be from 1 to 65535; it is 65536."),
        ("QUORUM_MAX_UPLOAD_MB", "0", "QUORUM_MAX_UPLOAD_MB must be 1 or more; it is 0."),
        ("CELERY_TASK_TIME_LIMIT", "0", "CELERY_TASK_TIME_LIMIT must be 1 or more; it is 0."),
        ("CELERY_VISIBILITY_TIMEOUT", "59", "CELERY_VISIBILITY_TIMEOUT must be 60 or more; it is 59."),
        ("QUORUM_UPLOAD_CHECK_MEMORY_MB", "63", "QUORUM_UPLOAD_CHECK_MEMORY_MB must be 64 or more; it is 63."),
        ("QUORUM_METRICS_ALLOWED_ADDRESSES", "10.0.0.0/24, prometheus", "holds 'prometheus', which is not an address"),
    ],
)
def test_a_setting_out_of_the_range_it_works_in_is_named_at_start_up(name, value, said):
    # A batch of 0 alerts sent none, quietly; a lease of 0 let two workers send the same
    # message; a digest hour of 25 stopped the scheduler with a traceback; an allowed address
    # that is not one answered every scrape of /metrics with an error page.
    result = _manage("check", **{name: value})
    assert result.returncode != 0
    assert said in result.stderr
