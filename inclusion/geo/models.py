import re

from django.db import models

from inclusion.geo import enums
from inclusion.geo.text import normalize_name

LABEL_WITH_DEPARTMENT = re.compile(r"(?P<name>.+?)\s*\((?P<department>[0-9]{2,3}|2[AB])\)", re.IGNORECASE)
POST_CODE = re.compile(r"[0-9]{5}")


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    zone = models.CharField("zone", max_length=5, choices=enums.Zone.choices)

    class Meta:
        verbose_name = "région"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Department(models.Model):
    code = models.CharField("code", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, verbose_name="région", on_delete=models.PROTECT, related_name="departments")
    zone = models.CharField("zone", max_length=5, choices=enums.Zone.choices)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} - {self.name}"


class CommuneQuerySet(models.QuerySet):
    """How a typed place becomes a commune: one place for every form (search, addresses, antennas, signup)."""

    def whole(self):
        # search_and_jobs.md §1: Paris, Lyon and Marseille are used whole, never by arrondissement.
        return self.exclude(kind=enums.CommuneKind.ARRONDISSEMENT)

    def served_by(self, post_code):
        return self.filter(pk__in=PostalCode.objects.filter(code=post_code).values("commune_id"))

    def named(self, text):
        """Whole communes matching what a person typed: a slug ("lyon-69"), a label ("Lyon (69)"), a post code or a
        name (accents, case and dashes ignored); the most populated first, so that callers can detect ambiguity."""
        text = text.strip()
        communes = self.whole().order_by("-population", "code_insee")
        if match := LABEL_WITH_DEPARTMENT.fullmatch(text):
            return communes.filter(
                normalized_name=normalize_name(match["name"]), department__code=match["department"].upper()
            )
        if POST_CODE.fullmatch(text):
            return communes.served_by(text)
        by_slug = communes.filter(slug=text.lower())
        return by_slug if by_slug.exists() else communes.filter(normalized_name=normalize_name(text))


class Commune(models.Model):
    """A commune of the COG (or an arrondissement of Paris, Lyon, Marseille), with its centre point."""

    code_insee = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=100)
    # search_and_jobs.md §2: what autocomplete matches (see geo.text.normalize_name) and what search forms submit.
    normalized_name = models.CharField("nom normalisé", max_length=100, db_index=True)
    slug = models.SlugField("slug", max_length=110, unique=True)
    kind = models.CharField("type", max_length=3, choices=enums.CommuneKind.choices)
    department = models.ForeignKey(
        Department, verbose_name="département", on_delete=models.PROTECT, related_name="communes"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="commune parente",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arrondissements",
    )
    # Joined with "|" as in the source; PostalCode rows make them searchable.
    postal_codes = models.CharField("codes postaux", max_length=200, blank=True)
    latitude = models.FloatField("latitude")
    longitude = models.FloatField("longitude")
    population = models.PositiveIntegerField("population", null=True, blank=True)
    zrr_status = models.CharField("statut ZRR", max_length=2, choices=enums.ZrrStatus.choices, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["name", "code_insee"]
        indexes = [
            # Bounding-box prefilter of the distance search.
            models.Index(fields=["latitude", "longitude"], name="commune_lat_lon_idx"),
            models.Index(fields=["name"], name="commune_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="commune_coordinates_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.department_code})"

    @property
    def department_code(self):
        # Overseas codes (97x, 98x) use three characters, the others two (including 2A / 2B).
        return self.code_insee[:3] if self.code_insee[:2] in ("97", "98") else self.code_insee[:2]

    @property
    def postal_code_list(self):
        return self.postal_codes.split("|") if self.postal_codes else []


class PostalCode(models.Model):
    code = models.CharField("code postal", max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, verbose_name="commune", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "code postal"
        verbose_name_plural = "codes postaux"
        constraints = [models.UniqueConstraint(fields=["code", "commune"], name="postal_code_commune_unique")]

    def __str__(self):
        return self.code


class CommuneFormerCode(models.Model):
    """A former INSEE code (or a commune déléguée / associée) and the current commune that holds it."""

    former_code = models.CharField("ancien code INSEE", max_length=5, db_index=True)
    former_name = models.CharField("ancien nom", max_length=100, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name="commune actuelle", on_delete=models.CASCADE, related_name="former_codes"
    )
    relation = models.CharField("relation", max_length=20, choices=enums.FormerCodeRelation.choices)

    class Meta:
        verbose_name = "ancien code de commune"
        verbose_name_plural = "anciens codes de communes"
        constraints = [
            models.UniqueConstraint(fields=["former_code", "commune", "relation"], name="commune_former_code_unique")
        ]

    def __str__(self):
        return f"{self.former_code} → {self.commune_id}"


class Country(models.Model):
    """ASP / INSEE country list (birth country, fiches salarié)."""

    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    asp_code = models.CharField("code ASP", max_length=3)
    name = models.CharField("nom", max_length=100)
    kind = models.CharField("type", max_length=30, choices=enums.CountryKind.choices)
    group = models.CharField("groupe ASP", max_length=1, choices=enums.CountryGroup.choices)

    FRANCE_INSEE_CODE = "99100"

    class Meta:
        verbose_name = "pays"
        verbose_name_plural = "pays"
        ordering = ["name"]

    def __str__(self):
        return self.name.title()
