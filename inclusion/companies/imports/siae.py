"""Weekly import of the SIAE list of the ASP: structures, conventions, annexes financières (conventionnement.md §1.2).

The ordered steps of the note, adapted to what exists today:
1. delete the member-less antennas created by users;
2. (staff-created SIAE after 90 days: not done yet, their review workflow does not exist);
3. update the SIRET and `auth_email` of ASP companies, by ASP id;
4. update the conventions: signature SIRET, activation from the annexes, with the two safety valves;
5.–7. create the SIAE (and their convention) of active (ASP id, kind) pairs not known yet, or convert the
   user- or staff-created company with the same SIRET and kind;
8. create, update, move or delete the annexes financières;
9. past the 30-day grace period: delete the companies without history, hide the others.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from inclusion.companies import enums
from inclusion.companies.history import company_holds_history
from inclusion.companies.imports.common import (
    CommuneResolver,
    RowError,
    clean_email,
    clean_naf,
    clean_phone,
    clean_post_code,
    clean_siret,
    company_label,
    remove_or_hide,
    required,
)
from inclusion.companies.imports.files import SourceRow
from inclusion.companies.imports.report import Action, ImportReport, no_progress
from inclusion.companies.models import Company, Convention, FinancialAnnex
from inclusion.companies.validators import parse_financial_annex_number
from inclusion.geo.models import Commune

STRUCTURE_COLUMNS = (
    "asp_id",
    "siret",
    "siret_signature",
    "auth_email",
    "naf",
    "name",
    "address_line_1",
    "address_line_2",
    "post_code",
    "code_insee",
    "phone",
)
ANNEX_COLUMNS = ("number", "asp_id", "measure", "start_at", "end_at", "state")

# conventionnement.md §1.2: penitentiary measures are not ours; "_DC" marks a variant of the same kind.
PENITENTIARY_SUFFIX = "_MP"
DC_SUFFIX = "_DC"
# conventionnement.md §1.2, safeguard 1: the annexes of the new year arrive late, so from January to June a
# run that would deactivate this many conventions or more deactivates none.
MASS_DEACTIVATION_THRESHOLD = 200
MASS_DEACTIVATION_MONTHS = range(1, 7)
# conventionnement.md §1.2, safeguard 2: a convention reactivated by the support is protected for 90 days.
SUPPORT_REACTIVATION_PROTECTION = datetime.timedelta(days=90)

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class Structure:
    line: int
    asp_id: int
    siret: str
    siret_signature: str
    auth_email: str
    naf: str
    name: str
    address_line_1: str
    address_line_2: str
    post_code: str
    commune: Commune
    phone: str


@dataclass(frozen=True)
class Annex:
    line: int
    number: str
    asp_id: int
    kind: str
    start_at: datetime.date
    end_at: datetime.date
    state: str

    def is_active(self, today: datetime.date) -> bool:
        # The rule of FinancialAnnex.is_active (conventionnement.md §1.1), applied to a row of the file.
        return FinancialAnnex(state=self.state, end_at=self.end_at).is_active(on=today)


class Skipped(Exception):
    """A row left aside on purpose (not an error)."""


def _asp_id(values) -> int:
    value = required(values, "asp_id", "identifiant ASP")
    if not value.isdigit():
        raise RowError(f"identifiant ASP « {value} » invalide : un nombre entier est attendu")
    return int(value)


def _date(values, column, label) -> datetime.date:
    value = required(values, column, label)
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, date_format).date()
        except ValueError:
            continue
    raise RowError(f"{label} « {value} » invalide : date AAAA-MM-JJ attendue")


def parse_structure(row: SourceRow, communes: CommuneResolver) -> Structure:
    values = row.values
    asp_id = _asp_id(values)
    # conventionnement.md §1.2: rows without e-mail are dropped first.
    auth_email = clean_email(values.get("auth_email", ""), required_email=True)
    siret = clean_siret(required(values, "siret", "SIRET"))
    siret_signature = clean_siret(required(values, "siret_signature", "SIRET à la signature"), "SIRET à la signature")
    if siret[:9] != siret_signature[:9]:
        raise RowError(
            f"le SIREN du SIRET ({siret[:9]}) diffère de celui du SIRET à la signature ({siret_signature[:9]})"
        )
    return Structure(
        line=row.line,
        asp_id=asp_id,
        siret=siret,
        siret_signature=siret_signature,
        auth_email=auth_email,
        naf=clean_naf(values.get("naf", "")),
        name=required(values, "name", "nom"),
        address_line_1=values.get("address_line_1", ""),
        address_line_2=values.get("address_line_2", ""),
        post_code=clean_post_code(required(values, "post_code", "code postal")),
        commune=communes(values.get("code_insee", "")),
        phone=clean_phone(values.get("phone", "")),
    )


def parse_annex(row: SourceRow) -> Annex:
    values = row.values
    measure = required(values, "measure", "mesure").upper()
    if measure.endswith(PENITENTIARY_SUFFIX):
        raise Skipped("annexe d'une mesure pénitentiaire (_MP)")
    kind = measure.removesuffix(DC_SUFFIX)
    if kind not in enums.SIAE_KINDS:
        raise Skipped(f"annexe d'une mesure qui n'est pas une SIAE ({measure})")
    number = required(values, "number", "numéro d'annexe").upper()
    if parse_financial_annex_number(number) is None:
        raise RowError(f"numéro d'annexe financière « {number} » invalide (attendu par exemple ACI069240012A1M0)")
    state = required(values, "state", "état").upper()
    if state not in enums.FinancialAnnexState.values:
        raise RowError(f"état « {state} » inconnu (attendu : {', '.join(enums.FinancialAnnexState.values)})")
    start_at, end_at = _date(values, "start_at", "date de début"), _date(values, "end_at", "date de fin")
    if start_at >= end_at:
        raise RowError(f"la date de fin ({end_at:%d/%m/%Y}) doit suivre la date de début ({start_at:%d/%m/%Y})")
    return Annex(row.line, number, _asp_id(values), kind, start_at, end_at, state)


def parse_structures(rows: list[SourceRow], report: ImportReport) -> dict[int, Structure]:
    communes = CommuneResolver()
    structures = {}
    for row in rows:
        subject = f"Structures, ligne {row.line}"
        try:
            structure = parse_structure(row, communes)
        except RowError as error:
            report.reject(subject, str(error))
            continue
        first = structures.get(structure.asp_id)
        if first is not None:
            report.reject(subject, f"doublon de l'identifiant ASP {structure.asp_id} (ligne {first.line} conservée)")
            continue
        structures[structure.asp_id] = structure
    return structures


def parse_annexes(rows: list[SourceRow], report: ImportReport, today: datetime.date) -> dict[str, Annex]:
    annexes = {}
    for row in rows:
        subject = f"Annexes, ligne {row.line}"
        try:
            annex = parse_annex(row)
        except Skipped as skipped:
            report.skip(str(skipped))
            continue
        except RowError as error:
            report.reject(subject, str(error))
            continue
        kept = annexes.get(annex.number)
        if kept is not None:
            # conventionnement.md §1.2: duplicates resolved preferring the active one, then the latest end.
            if (annex.is_active(today), annex.end_at) > (kept.is_active(today), kept.end_at):
                annexes[annex.number] = annex
                annex, kept = kept, annex
            report.reject(
                f"Annexes, ligne {annex.line}",
                f"doublon de l'annexe {annex.number} (ligne {kept.line} conservée : active, puis fin la plus tardive)",
            )
            continue
        annexes[annex.number] = annex
    return annexes


def _save(obj, fields):
    obj.save(update_fields=[*fields, "updated_at"])


def delete_memberless_antennas(report: ImportReport):
    """Step 1: an antenna created by a user who never joined it (or left no trace) serves nobody."""
    antennas = Company.objects.filter(source=enums.CompanySource.USER_CREATED, kind__in=enums.SIAE_KINDS)
    for antenna in antennas.order_by("pk"):
        if not company_holds_history(antenna):
            antenna.delete()
            report.add(Action.DELETED, company_label(antenna), "antenne créée par un utilisateur, sans aucun membre")


def update_companies_by_asp_id(structures: dict[int, Structure], report: ImportReport):
    """Step 3: the ASP is the reference for the SIRET and the official e-mail of the structures it lists."""
    companies = Company.objects.filter(source=enums.CompanySource.ASP, convention__asp_id__in=structures)
    for company in companies.select_related("convention").order_by("pk"):
        structure = structures[company.convention.asp_id]
        changes = []
        if company.siret != structure.siret:
            taken = Company.objects.filter(siret=structure.siret, kind=company.kind).exclude(pk=company.pk)
            if taken.exists():
                report.reject(
                    f"Structures, ligne {structure.line}",
                    f"SIRET {structure.siret} non appliqué à {company_label(company)} : "
                    f"déjà celui d'une autre structure {company.kind}",
                )
            else:
                changes.append(f"SIRET {company.siret} → {structure.siret}")
                company.siret = structure.siret
        if company.auth_email != structure.auth_email:
            changes.append(f"e-mail officiel {company.auth_email or '(vide)'} → {structure.auth_email}")
            company.auth_email = structure.auth_email
        if changes:
            _save(company, ["siret", "auth_email"])
            report.add(Action.UPDATED, company_label(company), ", ".join(changes))


def _is_protected(convention: Convention, now) -> bool:
    return convention.reactivated_at is not None and now - convention.reactivated_at < SUPPORT_REACTIVATION_PROTECTION


def update_conventions(structures: dict[int, Structure], active_keys: set, now, report: ImportReport):
    """Step 4: signature SIRET, and active ⇔ at least one active annex (conventionnement.md §1.1)."""
    to_deactivate = []
    for convention in Convention.objects.order_by("asp_id", "kind"):
        structure = structures.get(convention.asp_id)
        if structure is not None and convention.siret_signature != structure.siret_signature:
            reason = f"SIRET à la signature {convention.siret_signature} → {structure.siret_signature}"
            convention.siret_signature = structure.siret_signature
            _save(convention, ["siret_signature"])
            report.add(Action.UPDATED, f"Convention {convention}", reason)
        should_be_active = (convention.asp_id, convention.kind) in active_keys
        if should_be_active and not convention.is_active:
            convention.reactivate()
            report.add(Action.REACTIVATED, f"Convention {convention}", "au moins une annexe financière active")
        elif not should_be_active and convention.is_active:
            if _is_protected(convention, now):
                end = timezone.localdate(convention.reactivated_at + SUPPORT_REACTIVATION_PROTECTION)
                report.add(
                    Action.KEPT,
                    f"Convention {convention}",
                    f"aucune annexe active, mais réactivée par le support le "
                    f"{timezone.localdate(convention.reactivated_at):%d/%m/%Y} : protégée jusqu'au {end:%d/%m/%Y}",
                )
            else:
                to_deactivate.append(convention)
    if len(to_deactivate) >= MASS_DEACTIVATION_THRESHOLD and timezone.localdate(now).month in MASS_DEACTIVATION_MONTHS:
        report.note(
            f"{len(to_deactivate)} conventions seraient désactivées : à partir de {MASS_DEACTIVATION_THRESHOLD} entre "
            "janvier et juin (les annexes de la nouvelle année arrivent tard), aucune désactivation n'est faite."
        )
        for convention in to_deactivate:
            report.add(
                Action.KEPT, f"Convention {convention}", "aucune annexe active, mais désactivation massive évitée"
            )
        return
    for convention in to_deactivate:
        convention.is_active, convention.deactivated_at = False, now
        _save(convention, ["is_active", "deactivated_at"])
        report.add(
            Action.DEACTIVATED,
            f"Convention {convention}",
            "aucune annexe financière VALIDE ou PROVISOIRE finissant après aujourd'hui : "
            "début de la période de grâce de 30 jours",
        )


def _new_company(structure: Structure, kind, convention) -> Company:
    company = Company(
        siret=structure.siret,
        kind=kind,
        source=enums.CompanySource.ASP,
        convention=convention,
        name=structure.name,
        naf=structure.naf,
        auth_email=structure.auth_email,
        phone=structure.phone,
        address_line_1=structure.address_line_1,
        address_line_2=structure.address_line_2,
        post_code=structure.post_code,
    )
    company.set_location_from_commune(structure.commune)
    company.save()
    return company


def create_or_convert_companies(structures: dict[int, Structure], active_keys: set, report: ImportReport):
    """Steps 5–7: one ASP company per active convention (organizations.md §8.2)."""
    conventions = {(c.asp_id, c.kind): c for c in Convention.objects.all()}
    with_asp_company = set(
        Company.objects.filter(source=enums.CompanySource.ASP, convention__isnull=False).values_list(
            "convention__asp_id", "convention__kind"
        )
    )
    for asp_id, kind in sorted(active_keys - with_asp_company):
        structure = structures.get(asp_id)
        if structure is None:
            report.skip("annexe active d'une structure absente du fichier des structures (ou rejetée) : non créée")
            continue
        subject = f"{kind} {structure.siret} « {structure.name} » (ASP {asp_id})"
        existing = Company.objects.filter(siret=structure.siret, kind=kind).first()
        if existing is not None and existing.source not in (
            enums.CompanySource.USER_CREATED,
            enums.CompanySource.STAFF_CREATED,
        ):
            report.reject(f"Structures, ligne {structure.line}", f"{subject} : SIRET déjà pris par {existing}")
            continue
        convention = conventions.get((asp_id, kind))
        if convention is None:
            convention = Convention.objects.create(
                asp_id=asp_id, kind=kind, siret_signature=structure.siret_signature, is_active=True
            )
        if existing is None:
            _new_company(structure, kind, convention)
            report.add(
                Action.CREATED,
                subject,
                f"nouvelle structure conventionnée à {structure.commune.name} ({structure.commune.department_code})",
            )
            continue
        previous = existing.get_source_display().lower()
        existing.source, existing.convention = enums.CompanySource.ASP, convention
        existing.auth_email = structure.auth_email
        _save(existing, ["source", "convention", "auth_email"])
        report.add(Action.CONVERTED, subject, f"même SIRET et même type : {previous} → liste de l'ASP")


ANNEX_FIELD_LABELS = {"state": "état", "start_at": "début", "end_at": "fin"}


def _display(value):
    return f"{value:%d/%m/%Y}" if isinstance(value, datetime.date) else value


def sync_financial_annexes(annexes: dict[str, Annex], seen_numbers: set[str], report: ImportReport):
    """Step 8. An annex whose row was rejected is kept as it is: a broken row never loses data."""
    conventions = {(c.asp_id, c.kind): c for c in Convention.objects.all()}
    existing = {annex.number: annex for annex in FinancialAnnex.objects.select_related("convention")}
    for number, annex in sorted(annexes.items()):
        convention = conventions.get((annex.asp_id, annex.kind))
        if convention is None:
            report.skip("annexe d'une structure sans convention connue (inactive, ou rejetée) : non enregistrée")
            continue
        target = {"state": annex.state, "start_at": annex.start_at, "end_at": annex.end_at}
        saved = existing.get(number)
        if saved is None:
            FinancialAnnex.objects.create(number=number, convention=convention, **target)
            report.add(
                Action.CREATED,
                f"Annexe {number}",
                f"convention {convention}, {annex.state} du {annex.start_at:%d/%m/%Y} au {annex.end_at:%d/%m/%Y}",
            )
            continue
        changes = [
            f"{ANNEX_FIELD_LABELS[field]} {_display(getattr(saved, field))} → {_display(value)}"
            for field, value in target.items()
            if getattr(saved, field) != value
        ]
        if saved.convention_id != convention.pk:
            changes.append(f"déplacée de la convention {saved.convention} vers {convention}")
        if changes:
            for field, value in target.items():
                setattr(saved, field, value)
            saved.convention = convention
            _save(saved, [*target, "convention"])
            report.add(Action.UPDATED, f"Annexe {number}", ", ".join(changes))
    for number, saved in sorted(existing.items()):
        if number not in seen_numbers:
            saved.delete()
            reason = f"absente du fichier des annexes (convention {saved.convention})"
            report.add(Action.DELETED, f"Annexe {number}", reason)


def end_grace_periods(now, report: ImportReport):
    """Step 9 (organizations.md §8.4): after 30 days without an active convention, delete or hide."""
    in_use = Company.objects.active_or_in_grace_period(now).values("pk")
    companies = (
        Company.objects.filter(
            kind__in=enums.SIAE_KINDS,
            source__in=[enums.CompanySource.ASP, enums.CompanySource.USER_CREATED],
            convention__isnull=False,
        )
        .exclude(pk__in=in_use)
        .select_related("convention")
        .order_by("pk")
    )
    for company in companies:
        deactivated_at = company.convention.deactivated_at
        since = f" (convention désactivée le {timezone.localdate(deactivated_at):%d/%m/%Y})" if deactivated_at else ""
        remove_or_hide(company, report=report, reason=f"période de grâce de 30 jours terminée{since}")


def import_siae(
    *, structure_rows: list[SourceRow], annex_rows: list[SourceRow], now, progress=no_progress
) -> ImportReport:
    report = ImportReport("Import des SIAE (liste de l'ASP)")
    today = timezone.localdate(now)
    structures = parse_structures(progress(structure_rows), report)
    annexes = parse_annexes(progress(annex_rows), report, today)
    seen_numbers = {row.values.get("number", "").strip().upper() for row in annex_rows}
    active_keys = {(annex.asp_id, annex.kind) for annex in annexes.values() if annex.is_active(today)}
    if not structures or not annexes:
        # An empty or entirely broken export would deactivate every convention and delete every annex.
        report.note("aucune structure ou aucune annexe valide : par prudence, rien n'est modifié.")
        return report

    delete_memberless_antennas(report)
    update_companies_by_asp_id(structures, report)
    update_conventions(structures, active_keys, now, report)
    create_or_convert_companies(structures, active_keys, report)
    sync_financial_annexes(annexes, seen_numbers, report)
    end_grace_periods(now, report)
    report.note(
        f"date de référence {today:%d/%m/%Y} : {len(structures)} structure(s) et {len(annexes)} annexe(s) "
        "valides lues ; les structures créées ne reçoivent pas encore d'e-mail."
    )
    return report
