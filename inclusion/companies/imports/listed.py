"""The GEIQ list and the EA/EATT list: one shared create / convert / delete synchronisation
(conventionnement.md §1.2, last item; organizations.md §8.3: these companies are active while listed).

The list owns the name and the official e-mail (`auth_email`); the address and the phone are only written at
creation, since the employer may correct them afterwards (organizations.md §8.6).
"""

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from inclusion.companies import enums
from inclusion.companies.imports.common import (
    CommuneResolver,
    RowError,
    clean_email,
    clean_phone,
    clean_post_code,
    clean_siret,
    company_label,
    remove_or_hide,
    required,
)
from inclusion.companies.imports.files import PipeFile, SourceRow
from inclusion.companies.imports.report import Action, ImportReport, no_progress
from inclusion.companies.models import Company
from inclusion.geo.models import Commune

GEIQ_COLUMNS = ("name", "address_line_1", "post_code", "code_insee", "siret", "email")
EA_EATT_COLUMNS = ("siret", "kind", "name", "address", "post_code", "code_insee", "email", "phone")
EA_EATT_KINDS = (enums.CompanyKind.EA, enums.CompanyKind.EATT)
# conventionnement.md §1.2: a company created by the support and absent from the list is kept one year.
STAFF_CREATED_KEPT_FOR = relativedelta(years=1)
CONVERTIBLE_SOURCES = (enums.CompanySource.STAFF_CREATED, enums.CompanySource.USER_CREATED)


@dataclass(frozen=True)
class ListedCompany:
    line: int
    siret: str
    kind: str
    name: str
    address_line_1: str
    post_code: str
    commune: Commune
    auth_email: str
    phone: str = ""

    @property
    def key(self):
        return self.siret, self.kind


def _listed(row: SourceRow, communes: CommuneResolver, *, kind: str, address_column: str) -> ListedCompany:
    values = row.values
    if "__error__" in values:
        raise RowError(values["__error__"])
    return ListedCompany(
        line=row.line,
        siret=clean_siret(required(values, "siret", "SIRET")),
        kind=kind,
        name=required(values, "name", "nom"),
        address_line_1=values.get(address_column, ""),
        post_code=clean_post_code(required(values, "post_code", "code postal")),
        commune=communes(values.get("code_insee", "")),
        auth_email=clean_email(values.get("email", ""), required_email=False),
        phone=clean_phone(values.get("phone", "")),
    )


def _parse(rows: list[SourceRow], report: ImportReport, parse_row) -> dict[tuple, ListedCompany]:
    listed = {}
    for row in rows:
        subject = f"Ligne {row.line}"
        try:
            company = parse_row(row)
        except RowError as error:
            report.reject(subject, str(error))
            continue
        first = listed.get(company.key)
        if first is not None:
            report.reject(subject, f"doublon du SIRET {company.siret} ({company.kind}) : ligne {first.line} conservée")
            continue
        listed[company.key] = company
    return listed


def _create(listed: ListedCompany, source: str):
    company = Company(
        siret=listed.siret,
        kind=listed.kind,
        source=source,
        name=listed.name,
        auth_email=listed.auth_email,
        phone=listed.phone,
        address_line_1=listed.address_line_1,
        post_code=listed.post_code,
    )
    company.set_location_from_commune(listed.commune)
    company.save()
    return company


def _list_owned_changes(company: Company, listed: ListedCompany) -> list[str]:
    changes = []
    for field, label in (("name", "nom"), ("auth_email", "e-mail officiel")):
        old, new = getattr(company, field), getattr(listed, field)
        if old != new:
            changes.append(f"{label} « {old} » → « {new} »")
            setattr(company, field, new)
    return changes


def _staff_created_long_ago(company, now) -> bool:
    return company.source == enums.CompanySource.STAFF_CREATED and company.created_at <= now - STAFF_CREATED_KEPT_FOR


def sync_listed_companies(
    *, listed: dict[tuple, ListedCompany], kinds, source: str, now, report: ImportReport, remove_absent: bool = True
):
    existing = {(c.siret, c.kind): c for c in Company.objects.filter(kind__in=kinds).order_by("pk")}
    if not listed:
        # An empty or entirely broken file says nothing about who left the list.
        report.note("aucune ligne valide : par prudence, aucune structure absente n'est supprimée ni masquée.")
        remove_absent = False
    for key, row in sorted(listed.items()):
        company = existing.get(key)
        if company is None:
            company = _create(row, source)
            report.add(Action.CREATED, company_label(company), f"nouvelle structure à {row.commune.name}")
        elif company.source == source:
            changes = _list_owned_changes(company, row)
            if changes:
                company.save(update_fields=["name", "auth_email", "updated_at"])
                report.add(Action.UPDATED, company_label(company), ", ".join(changes))
            if not company.is_searchable:
                # Back in its list: active again (organizations.md §8.3, active while listed).
                company.is_searchable = True
                company.save(update_fields=["is_searchable", "updated_at"])
                report.add(Action.REACTIVATED, company_label(company), "de nouveau dans la liste")
        elif company.source in CONVERTIBLE_SOURCES:
            previous = company.get_source_display().lower()
            changes = _list_owned_changes(company, row)
            company.source = source
            company.save(update_fields=["source", "name", "auth_email", "updated_at"])
            reason = f"même SIRET et même type : {previous} → {company.get_source_display().lower()}"
            report.add(Action.CONVERTED, company_label(company), ", ".join([reason, *changes]))
        else:
            report.reject(f"Ligne {row.line}", f"SIRET déjà pris par {company_label(company)} ({company.source})")
    if not remove_absent:
        return
    for key, company in existing.items():
        if key in listed:
            continue
        if company.source == source:
            remove_or_hide(company, report=report, reason="absente de la liste")
        elif _staff_created_long_ago(company, now):
            reason = "créée par le support il y a plus d'un an, absente de la liste"
            remove_or_hide(company, report=report, reason=reason)
        # USER_CREATED antennas are never removed by the lists (conventionnement.md §1.2).


def import_geiq(*, rows: list[SourceRow], now, progress=no_progress) -> ImportReport:
    report = ImportReport("Import des GEIQ")
    communes = CommuneResolver()
    listed = _parse(
        progress(rows),
        report,
        lambda row: _listed(row, communes, kind=enums.CompanyKind.GEIQ, address_column="address_line_1"),
    )
    sync_listed_companies(
        listed=listed, kinds=[enums.CompanyKind.GEIQ], source=enums.CompanySource.GEIQ, now=now, report=report
    )
    return report


def _ea_eatt_row(row: SourceRow, communes: CommuneResolver) -> ListedCompany:
    kind = row.values.get("kind", "").upper()
    if "__error__" not in row.values and kind not in EA_EATT_KINDS:
        raise RowError(f"type « {kind} » inconnu (attendu : EA ou EATT)")
    return _listed(row, communes, kind=kind, address_column="address")


def import_ea_eatt(*, file: PipeFile, now, progress=no_progress) -> ImportReport:
    report = ImportReport("Import des EA et EATT")
    communes = CommuneResolver()
    listed = _parse(progress(file.rows), report, lambda row: _ea_eatt_row(row, communes))
    complete = file.declared_count == len(file.rows)
    if not complete:
        # A file cut or padded in transit: create and update, but remove nothing on its word.
        report.note(
            f"la ligne FIN annonce {file.declared_count} ligne(s), le fichier en contient {len(file.rows)} : "
            "par prudence, aucune structure absente n'est supprimée ni masquée."
        )
    sync_listed_companies(
        listed=listed,
        kinds=list(EA_EATT_KINDS),
        source=enums.CompanySource.EA_EATT,
        now=now,
        report=report,
        remove_absent=complete,
    )
    return report
