import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsbp.settings")
application = get_wsgi_application()

# The garbage collector, tuned for serving pages. A page that reads a breakdown's
# tables builds some 100,000 small objects, and with the default thresholds a
# full collection ran in the middle of one request in ten, walking all of them:
# a 50-90 ms pause on a 30 ms page (benchmarks/consultation_analysis.py). So:
# load every view now and move what start-up made (over 100,000 objects) out of
# the collector's sight, and collect the youngest generation after 50,000
# allocations rather than 700, which makes full collections about seventy times
# rarer. Request objects are freed by reference counting all the same; only
# cycles wait a little longer.
get_resolver().url_patterns  # noqa: B018 — imports the views
gc.collect()
gc.freeze()
gc.set_threshold(50_000, 10, 10)
