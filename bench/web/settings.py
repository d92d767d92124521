"""The project's settings, with the benchmark's URLs (the project's plus a trivial view).

Everything else (DEBUG, the database, the var folder) comes from the environment, as in
production; the runner sets DEBUG off.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.web.urls"
# The trivial view measures the framework without the page cache.
QUORUM_PAGE_CACHE_EXCLUDE = (*QUORUM_PAGE_CACHE_EXCLUDE, "/bench/")  # noqa: F405
