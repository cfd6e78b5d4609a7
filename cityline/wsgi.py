import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityline.settings")
application = get_wsgi_application()

# Load every view now, then take all that is loaded out of the cycle collector's sight: it lives as
# long as the process, yet each full collection would walk it (about 30 ms, in some request's
# time). Each of Granian's worker processes runs this once, as it starts.
import_module(settings.ROOT_URLCONF)
gc.freeze()
