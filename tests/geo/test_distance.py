"""geo/distance.py: the great-circle distance and the bounding box of the searches around a commune.

Expected distances were computed independently of the haversine formula under test, with the spherical law of
cosines d = R · acos(sin φ1 sin φ2 + cos φ1 cos φ2 cos Δλ), R = 6371.0088 km, on the commune centres of the
reference data (communes.csv), and cross-checked with the equirectangular approximation
d ≈ R · √((Δλ · cos φm)² + Δφ²) (radians), which agrees to 0.01 km at these short ranges:

| from → to                          | coordinates (lat, lon)                        | expected  |
|------------------------------------|-----------------------------------------------|-----------|
| Lyon 69123 → Villeurbanne 69266    | (45.758, 4.8351) → (45.7719, 4.8898)          | 4.52 km   |
| Lyon 69123 → Vienne 38544          | (45.758, 4.8351) → (45.5221, 4.8803)          | 26.47 km  |
| Lyon 69123 → Givors 69091          | (45.758, 4.8351) → (45.5845, 4.7561)          | 20.25 km  |
| Lyon 69123 → Tarare 69243          | (45.758, 4.8351) → (45.9071, 4.4302)          | 35.48 km  |
| Paris 75056 → Versailles 78646     | (48.8589, 2.347) → (48.8039, 2.1191)          | 17.77 km  |

E.g. Lyon → Vienne: Δφ = -0.2359° = -0.0041172 rad, Δλ = 0.0452° = 0.00078889 rad, φm = 45.64°, cos φm = 0.69943;
√((0.00078889 · 0.69943)² + 0.0041172²) = 0.0041540 rad × 6371.0088 = 26.47 km.
"""

import math

import pytest

from inclusion.geo.distance import (
    EARTH_RADIUS_KM,
    bounding_box,
    haversine_km,
    is_within_radius,
    within_radius,
)

LYON = (45.758, 4.8351)
PARIS = (48.8589, 2.347)


@pytest.mark.parametrize(
    "origin,destination,expected_km",
    [
        (LYON, (45.7719, 4.8898), 4.52),  # Villeurbanne
        (LYON, (45.5221, 4.8803), 26.47),  # Vienne
        (LYON, (45.5845, 4.7561), 20.25),  # Givors
        (LYON, (45.9071, 4.4302), 35.48),  # Tarare
        (PARIS, (48.8039, 2.1191), 17.77),  # Versailles
    ],
)
def test_distance_between_real_communes(origin, destination, expected_km):
    assert haversine_km(*origin, *destination) == pytest.approx(expected_km, abs=0.1)
    # Symmetric.
    assert haversine_km(*destination, *origin) == pytest.approx(haversine_km(*origin, *destination))


def test_distance_to_itself_is_zero():
    assert haversine_km(*LYON, *LYON) == 0


def point_north_of(origin, km):
    """A point exactly `km` north of `origin` on the sphere (a meridian arc: distance = R · Δφ)."""
    return origin[0] + math.degrees(km / EARTH_RADIUS_KM), origin[1]


def point_east_of(origin, km):
    """A point exactly `km` east of `origin` along the great circle through it heading due east."""
    lat, lon = map(math.radians, origin)
    angle = km / EARTH_RADIUS_KM
    lat2 = math.asin(math.sin(lat) * math.cos(angle))
    lon2 = lon + math.atan2(math.sin(angle) * math.cos(lat), math.cos(angle) - math.sin(lat) * math.sin(lat2))
    return math.degrees(lat2), math.degrees(lon2)


@pytest.mark.parametrize("radius_km", [2, 5, 10, 15, 25, 50, 100])
@pytest.mark.parametrize("towards", [point_north_of, point_east_of])
def test_exactly_at_radius_is_included_and_just_beyond_is_excluded(radius_km, towards):
    at_radius = towards(LYON, radius_km)
    beyond = towards(LYON, radius_km + 0.01)  # 10 metres further
    assert haversine_km(*LYON, *at_radius) == pytest.approx(radius_km, abs=1e-9)
    assert is_within_radius(haversine_km(*LYON, *at_radius), radius_km)
    assert not is_within_radius(haversine_km(*LYON, *beyond), radius_km)


def in_box(box, point):
    lat, lon = point
    if not box.min_latitude <= lat <= box.max_latitude:
        return False
    if box.min_longitude is None:
        return True
    if box.min_longitude <= box.max_longitude:
        return box.min_longitude <= lon <= box.max_longitude
    return lon >= box.min_longitude or lon <= box.max_longitude


@pytest.mark.parametrize("radius_km", [2, 25, 100])
@pytest.mark.parametrize("origin", [LYON, PARIS, (-21.1151, 55.5364), (43.2803, 5.3806), (64.0, 10.0)])
def test_box_contains_the_whole_circle(origin, radius_km):
    """Every point at exactly the radius, in every direction, lies inside the prefilter box."""
    box = bounding_box(*origin, radius_km)
    lat, lon = map(math.radians, origin)
    angle = radius_km / EARTH_RADIUS_KM
    for degrees in range(0, 360, 5):
        bearing = math.radians(degrees)
        lat2 = math.asin(math.sin(lat) * math.cos(angle) + math.cos(lat) * math.sin(angle) * math.cos(bearing))
        lon2 = lon + math.atan2(
            math.sin(bearing) * math.sin(angle) * math.cos(lat), math.cos(angle) - math.sin(lat) * math.sin(lat2)
        )
        assert in_box(box, (math.degrees(lat2), math.degrees(lon2))), degrees


def test_box_stays_small():
    """The box is the circle's, with a 1 % margin: it keeps the candidate set small."""
    box = bounding_box(*LYON, 25)
    assert box.max_latitude - box.min_latitude == pytest.approx(2 * 25 * 1.01 / 111.195, rel=1e-3)
    assert box.max_longitude - box.min_longitude < 0.7  # about 50 km / (111.2 · cos 46°) = 0.65°


def test_box_across_the_antimeridian_keeps_both_sides():
    box = bounding_box(-13.28, 179.95, 25)  # near Wallis-et-Futuna
    assert box.min_longitude > box.max_longitude
    assert in_box(box, (-13.28, -179.9))
    assert in_box(box, (-13.28, 179.8))
    assert not in_box(box, (-13.28, 0.0))


def test_within_radius_keeps_order_distance_and_skips_unlocated_rows():
    rows = [
        ("Villeurbanne", (45.7719, 4.8898)),
        ("Sans adresse", None),
        ("Vienne", (45.5221, 4.8803)),
        ("Givors", (45.5845, 4.7561)),
        ("Sans latitude", (None, 4.8)),
    ]
    kept = within_radius(rows, latitude=LYON[0], longitude=LYON[1], radius_km=25, coordinates=lambda row: row[1])
    assert [(row[0], round(distance, 1)) for row, distance in kept] == [("Villeurbanne", 4.5), ("Givors", 20.2)]
