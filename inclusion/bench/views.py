"""The benchmark's floor (make bench): what any page of the site costs, before its own work.

Served only by the benchmark's settings (config/settings/bench.py adds its URL): the same middleware, session, user
and layout as every page, one trivial query, nothing else. Each key page's latency is read against it.
"""

from django.db import connection
from django.shortcuts import render

from inclusion.www.views import public_page


@public_page
def floor(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return render(request, "bench/floor.html", {"title": "Plancher du banc de mesure"})
