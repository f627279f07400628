"""WSGI entry point: gunicorn salesorg.wsgi."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesorg.settings")
application = get_wsgi_application()
_patterns = get_resolver().url_patterns  # import every view now, not on the first request
# What is loaded by now lives as long as the worker: move it out of the garbage
# collector's sight, so full collections during a request do not scan it again (at
# 1,000 reps they took about a third of a dashboard's Python time).
gc.freeze()
