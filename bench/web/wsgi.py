"""WSGI entry point for the benchmark: gunicorn bench.web.wsgi:application."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.web.settings")
application = get_wsgi_application()
