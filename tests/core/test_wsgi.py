"""The WSGI entry point gunicorn loads."""

import gc
import importlib
import sys


def test_the_entry_point_loads_every_view_and_hides_it_from_the_collector():
    gc.unfreeze()
    sys.modules.pop("salesorg.wsgi", None)
    try:
        wsgi = importlib.import_module("salesorg.wsgi")
        # Django, the settings and every view module: no longer scanned by full collections.
        assert gc.get_freeze_count() > 10_000
        assert "salesorg.performance.views.dashboards" in sys.modules
        assert callable(wsgi.application)
    finally:
        gc.unfreeze()
