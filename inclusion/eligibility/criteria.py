"""The administrative criteria, as reference data (eligibility.md §3 and §7.2).

Labels are data and stay verbatim. Any change of a code or a label must be told to the statistics team: the names
feed their dashboards (eligibility.md §3).
"""

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS

from inclusion.eligibility.enums import CertificationSource, CriteriaLevel, GEIQAnnex

L1, L2 = CriteriaLevel.LEVEL_1, CriteriaLevel.LEVEL_2
API_PARTICULIER, FRANCE_TRAVAIL = CertificationSource.API_PARTICULIER, CertificationSource.FRANCE_TRAVAIL


@dataclass(frozen=True)
class IAECriterion:
    code: str
    level: str
    name: str
    desc: str  # the long "enum label" where it differs from the displayed name
    proof: str
    proof_freshness: str
    certifiable_by: str = ""


# eligibility.md §3, in display order (ui_rank is the position inside each level).
IAE_CRITERIA = (
    IAECriterion("RSA", L1, "Bénéficiaire du RSA", "", "Attestation RSA", "moins de 3 mois", API_PARTICULIER),
    IAECriterion("ASS", L1, "Allocataire ASS", "", "Attestation ASS", "moins de 3 mois"),
    IAECriterion(
        "AAH",
        L1,
        "Allocataire AAH",
        "Allocation aux adultes handicapés",
        "Attestation AAH",
        "moins de 3 mois",
        API_PARTICULIER,
    ),
    IAECriterion(
        "DETLD",
        L1,
        "DETLD (+ 24 mois)",
        "Demandeur d'emploi de très longue durée (+24 mois)",
        "Attestation France Travail",
        "moins de 3 mois",
    ),
    IAECriterion(
        "CAP_BEP",
        L2,
        "Niveau d'étude 3 (CAP, BEP) ou infra",
        "",
        "Diplôme et/ou déclaration sur l'honneur",
        "déclaration sur l'honneur de moins de 3 mois",
    ),
    IAECriterion("SENIOR", L2, "Senior (+50 ans)", "Senior (+ de 50 ans)", "Pièce d'identité", "aucune"),
    IAECriterion("JEUNE", L2, "Jeune (-26 ans)", "Jeune (- de 26 ans)", "Pièce d'identité", "aucune"),
    IAECriterion(
        "ASE", L2, "Sortant de l'ASE", "Aide sociale à l'enfance", "Attestation de l'ASE", "moins de 12 mois"
    ),
    IAECriterion(
        "DELD",
        L2,
        "DELD (12-24 mois)",
        "Demandeur d'emploi de longue durée (12-24 mois)",
        "Attestation France Travail",
        "moins de 3 mois",
    ),
    IAECriterion(
        "TH", L2, "Travailleur handicapé", "", "Décision de RQTH", "valide à la date d'embauche", FRANCE_TRAVAIL
    ),
    IAECriterion("PI", L2, "Parent isolé", "", "Attestation CAF", "moins de 3 mois", API_PARTICULIER),
    IAECriterion(
        "PSH_PR",
        L2,
        "Personne sans hébergement ou hébergée ou ayant un parcours de rue",
        "",
        "Attestation de domiciliation, à défaut attestation d'un travailleur social ou d'une association",
        "moins de 3 mois",
    ),
    IAECriterion(
        "REF_DA",
        L2,
        "Réfugié statutaire, bénéficiaire d'une protection temporaire, protégé subsidiaire ou demandeur d'asile",
        "",
        "Titre de séjour ou récépissé de renouvellement ; autorisation provisoire de travail (demandeurs d'asile) ; "
        "autorisation provisoire de séjour (protection temporaire)",
        "valide à la date de délivrance du PASS IAE",
    ),
    IAECriterion(
        "ZRR",
        L2,
        "Résident ZRR/ZFRR",
        "",
        "Justificatif de domicile (facture d'eau, d'électricité ou de téléphone)",
        "moins de 6 mois",
    ),
    IAECriterion("QPV", L2, "Résident QPV", "", "Justificatif de domicile", "moins de 6 mois"),
    IAECriterion(
        "DETENTION_MJ",
        L2,
        "Sortant de détention ou personne placée sous main de justice",
        "",
        "Billet de sortie ou attestation du juge de l'application des peines",
        "moins de 6 mois",
    ),
    IAECriterion(
        "FLE",
        L2,
        "Maîtrise de la langue française inférieure au niveau A1",
        "Maîtrise de la langue française",
        "Évaluation du niveau de français inférieur au A1",
        "moins de 6 mois",
    ),
    IAECriterion(
        "PM",
        L2,
        "Problème de mobilité",
        "",
        "Diagnostic mobilité réalisé par un prescripteur habilité",
        "moins de 6 mois",
    ),
)


@dataclass(frozen=True)
class GEIQCriterion:
    code: str
    name: str
    annex: str
    level: str | None
    parent: str | None = None
    api_code: str = ""  # code of the external "Label" API; unknown offline, filled when the API is wired


A0, A1, A2, A12 = GEIQAnnex.NONE, GEIQAnnex.ANNEX_1, GEIQAnnex.ANNEX_2, GEIQAnnex.BOTH

# eligibility.md §7.2, in display order. Parents come before their children.
GEIQ_CRITERIA = (
    GEIQCriterion("JEUNE", "Jeune (-26 ans)", A2, L2),
    GEIQCriterion("JEUNE_SQ", "Jeune de moins de 26 ans sans qualification (niveau 4 maximum)", A1, None, "JEUNE"),
    GEIQCriterion("SENIOR", "Senior (+50 ans)", A2, L2),
    GEIQCriterion("MINIMA", "Bénéficiaire des minima sociaux", A1, None),
    GEIQCriterion("RSA", "Bénéficiaire du Revenu de Solidarité Active (RSA)", A2, L1, "MINIMA"),
    GEIQCriterion("ASS", "Allocataire de l'Allocation de Solidarité Spécifique (ASS)", A2, L1, "MINIMA"),
    GEIQCriterion("AAH", "Allocataire de l'Allocation aux Adultes Handicapés (AAH)", A2, L1, "MINIMA"),
    GEIQCriterion("AUTRE_MINIMA", "Autre minima social", A0, None, "MINIMA"),
    GEIQCriterion("TH", "Travailleur handicapé", A12, L2),
    GEIQCriterion("REF_DA", "Réfugiés statutaire ou bénéficiaire de la protection subsidiaire", A12, L2),
    GEIQCriterion("RS_PS_DA", "Demandeur d'asile", A2, L2),
    GEIQCriterion("CAP_BEP", "Niveau d'étude 3 (CAP, BEP) ou infra", A2, L2),
    GEIQCriterion("FLE", "Maîtrise de la langue française inférieure au niveau A1", A2, L2),
    GEIQCriterion("SANS_TRAVAIL_12", "Personne éloignée du marché du travail (> 1 an)", A1, None),
    GEIQCriterion("FT", "Personne inscrite à France Travail", A0, None),
    GEIQCriterion("DELD_12", "Demandeur d'emploi inscrit depuis moins de 12 mois", A0, None, "FT"),
    GEIQCriterion("DELD", "Demandeur d'emploi de longue durée (DELD) (12 mois et plus)", A2, L2, "FT"),
    GEIQCriterion("DETLD", "Demandeur d'emploi de très longue durée (DETLD) (24 mois et plus)", A2, L1, "FT"),
    GEIQCriterion("DE_45", "Demandeur d'emploi de 45 ans et plus", A1, None),
    GEIQCriterion("RECONVERSION", "Personne en reconversion professionnelle contrainte", A1, None),
    GEIQCriterion("SIAE_CUI", "Personne bénéficiant ou sortant d'un dispositif d'insertion", A1, None),
    GEIQCriterion("PSH_PR", "Personne sans hébergement ou hébergée ou ayant un parcours de rue", A2, L2),
    GEIQCriterion("QPV", "Résident en quartier prioritaire de la politique de la ville (QPV)", A12, L2),
    GEIQCriterion(
        "ZRR", "Résident en zone de revitalisation rurale (ZRR) / zone France ruralités revitalisation (ZFRR)", A12, L2
    ),
    GEIQCriterion("PI", "Parent isolé", A2, L2),
    GEIQCriterion("ASE", "Sortant de l'Aide Sociale à l'Enfance (ASE)", A2, L2),
    GEIQCriterion("DETENTION_MJ", "Sortant de détention ou personne placée sous main de justice", A12, L2),
    GEIQCriterion("PM", "Problème de mobilité", A2, L2),
)


def sync_criteria(using=DEFAULT_DB_ALIAS):
    """Upsert both criteria tables by primary key (the code). Idempotent."""
    from inclusion.eligibility.models import AdministrativeCriteria, GEIQAdministrativeCriteria

    ranks = {L1: 0, L2: 0}
    for criterion in IAE_CRITERIA:
        ranks[criterion.level] += 1
        AdministrativeCriteria.objects.using(using).update_or_create(
            code=criterion.code,
            defaults={
                "level": criterion.level,
                "name": criterion.name,
                "desc": criterion.desc or criterion.name,
                "proof": criterion.proof,
                "proof_freshness": criterion.proof_freshness,
                "certifiable_by": criterion.certifiable_by,
                "ui_rank": ranks[criterion.level],
            },
        )
    for rank, criterion in enumerate(GEIQ_CRITERIA, start=1):
        GEIQAdministrativeCriteria.objects.using(using).update_or_create(
            code=criterion.code,
            defaults={
                "name": criterion.name,
                "annex": criterion.annex,
                "level": criterion.level,
                "parent_id": criterion.parent,
                "api_code": criterion.api_code,
                "slug": criterion.code.lower().replace("_", "-"),
                "ui_rank": rank,
            },
        )


def sync_criteria_after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs):
    # A migration plan that stops before the criteria tables exist (e.g. `migrate eligibility zero`) has nothing
    # to fill.
    from django.db import connections

    from inclusion.eligibility.models import AdministrativeCriteria

    if AdministrativeCriteria._meta.db_table in connections[using].introspection.table_names():
        sync_criteria(using=using)
