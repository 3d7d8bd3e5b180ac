import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsbp.settings")
application = get_wsgi_application()

# Load every view now, then move what start-up made (Django, numpy, matplotlib,
# the URLconf: over 100,000 objects) out of the garbage collector's sight. A full
# collection otherwise walks all of it, and a page that builds many small
# objects (a breakdown's tables) paid that as a 100-300 ms pause on one request
# in fifteen (benchmarks/consultation_analysis.py).
get_resolver().url_patterns  # noqa: B018 — imports the views
gc.collect()
gc.freeze()
