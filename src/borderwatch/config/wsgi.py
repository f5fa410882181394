"""WSGI entry point: the app, loaded and then frozen for the garbage collector
(core.startup: keeps full collections out of the requests)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderwatch.config.settings")
application = get_wsgi_application()

from borderwatch.core.startup import freeze_startup_objects  # noqa: E402 - needs the app loaded

freeze_startup_objects()
