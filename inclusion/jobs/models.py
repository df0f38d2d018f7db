from django.db import models


class Rome(models.Model):
    """A fiche of the ROME (répertoire opérationnel des métiers et des emplois) of France Travail."""

    code = models.CharField("code ROME", max_length=5, unique=True)
    name = models.CharField("intitulé", max_length=255)
    domain_code = models.CharField("code du domaine professionnel", max_length=3, db_index=True)
    domain_name = models.CharField("domaine professionnel", max_length=255)
    grand_domain_code = models.CharField("code du grand domaine", max_length=1, db_index=True)
    grand_domain_name = models.CharField("grand domaine", max_length=255)

    class Meta:
        verbose_name = "fiche ROME"
        verbose_name_plural = "fiches ROME"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Appellation(models.Model):
    """A job title of the ROME; job descriptions point at an appellation."""

    code = models.CharField("code", max_length=6, unique=True)
    name = models.CharField("intitulé", max_length=255, db_index=True)
    rome = models.ForeignKey(Rome, verbose_name="fiche ROME", on_delete=models.PROTECT, related_name="appellations")

    class Meta:
        verbose_name = "appellation ROME"
        verbose_name_plural = "appellations ROME"
        ordering = ["name"]

    def __str__(self):
        return self.name
