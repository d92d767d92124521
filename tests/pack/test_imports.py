"""The web process only enqueues builds: it must not load the renderer (WeasyPrint, pikepdf),
which costs memory in every web worker and belongs to the Celery worker."""

import os
import subprocess
import sys

from django.conf import settings

RENDERER_MODULES = ("weasyprint", "pikepdf", "pypdfium2")


def test_the_web_process_does_not_load_the_renderer():
    script = f"""
import os, sys
import django
django.setup()
from django.urls import get_resolver
import config.wsgi
get_resolver().url_patterns  # every view module, as the first request would
from django.contrib import admin
admin.autodiscover()
from config.celery import app
app.loader.import_default_modules()  # the task modules, as enqueueing does
from committee.pack import services
services.build_agenda_pack  # the task the service sends builds to
print(",".join(m for m in {RENDERER_MODULES!r} if m in sys.modules))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"the web process loaded {done.stdout.strip()}"
