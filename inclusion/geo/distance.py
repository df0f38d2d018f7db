"""Distances between points of the map, for the searches "around a commune" (search_and_jobs.md §4.2, §5, §6).

Why the exact distance is computed in Python rather than in SQL: the project runs on PostgreSQL and SQLite
(ARCHITECTURE.md, principle 7). SQLite has no trigonometric functions unless compiled with them, and PostgreSQL
would need PostGIS or the earthdistance extension for a geodesic distance; two SQL implementations would also round
differently at the radius. So the database only applies a bounding box on the indexed latitude / longitude columns
(plain comparisons, identical on both engines, cheap thanks to the indexes), and this module computes the exact
great-circle distance of the few candidate rows the box lets through. Results and distances are then identical on
both databases, and the box keeps the Python work small (a few hundred rows at 100 km in the densest areas).
"""

import math
from dataclasses import dataclass

from django.db.models import Q

# Mean Earth radius (IUGG), the usual value for a spherical haversine.
EARTH_RADIUS_KM = 6371.0088
# Length of one degree of latitude on that sphere: 2πR / 360 ≈ 111.195 km. The brief rounds it to 111.2 km; we
# divide by the smaller exact value so that the box is (slightly) larger, never smaller, than the circle.
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
# The box is widened by this factor so that floating-point noise never cuts a point lying exactly at the radius.
BOX_MARGIN = 1.01
# Floating-point tolerance of the inclusive comparison "distance ≤ radius" (one millimetre).
RADIUS_TOLERANCE_KM = 1e-6


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km between two WGS84 points (degrees), on a sphere of radius EARTH_RADIUS_KM."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    delta_phi = phi2 - phi1
    delta_lambda = math.radians(lon2 - lon1)
    a = math.sin(delta_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(delta_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def is_within_radius(distance_km, radius_km):
    """search_and_jobs.md §4.2: a point at exactly the radius is included (§9 invariant 2)."""
    return distance_km <= radius_km + RADIUS_TOLERANCE_KM


@dataclass(frozen=True)
class BoundingBox:
    min_latitude: float
    max_latitude: float
    # None when the box reaches a pole: every longitude is then a candidate.
    min_longitude: float | None
    max_longitude: float | None

    def q(self, latitude_field="latitude", longitude_field="longitude"):
        """The prefilter as a Q object on the given (indexed) columns."""
        q = Q(**{f"{latitude_field}__gte": self.min_latitude, f"{latitude_field}__lte": self.max_latitude})
        if self.min_longitude is None:
            return q
        east_of_min = Q(**{f"{longitude_field}__gte": self.min_longitude})
        west_of_max = Q(**{f"{longitude_field}__lte": self.max_longitude})
        if self.min_longitude <= self.max_longitude:
            return q & east_of_min & west_of_max
        # The box crosses the antimeridian (Wallis-et-Futuna lies near it): two longitude ranges.
        return q & (east_of_min | west_of_max)


def bounding_box(latitude, longitude, radius_km):
    """A latitude / longitude box that contains the whole circle of `radius_km` around the point (generously)."""
    delta_latitude = radius_km * BOX_MARGIN / KM_PER_DEGREE
    min_latitude, max_latitude = latitude - delta_latitude, latitude + delta_latitude
    if min_latitude <= -90 or max_latitude >= 90:
        return BoundingBox(max(min_latitude, -90), min(max_latitude, 90), None, None)
    # A degree of longitude is shortest on the edge of the box farthest from the equator: use that edge's latitude
    # so that the longitude span covers the circle at every latitude of the box.
    widest_latitude = max(abs(min_latitude), abs(max_latitude))
    delta_longitude = radius_km * BOX_MARGIN / (KM_PER_DEGREE * math.cos(math.radians(widest_latitude)))
    if delta_longitude >= 180:
        return BoundingBox(min_latitude, max_latitude, None, None)
    min_longitude, max_longitude = longitude - delta_longitude, longitude + delta_longitude
    if min_longitude < -180:
        min_longitude += 360
    if max_longitude > 180:
        max_longitude -= 360
    return BoundingBox(min_latitude, max_latitude, min_longitude, max_longitude)


def within_radius(rows, *, latitude, longitude, radius_km, coordinates):
    """[(row, distance_km)] for the rows lying within the radius (inclusive), in the order of `rows`.

    `coordinates(row)` returns the row's (latitude, longitude), or None when it has no location (skipped).
    """
    kept = []
    for row in rows:
        point = coordinates(row)
        if point is None or point[0] is None or point[1] is None:
            continue
        distance = haversine_km(latitude, longitude, point[0], point[1])
        if is_within_radius(distance, radius_km):
            kept.append((row, distance))
    return kept
