"""A realistic, deterministic demo data set: `make run` loads it; running it again changes nothing."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from inclusion.applications.models import JobApplication
from inclusion.approvals.models import Approval
from inclusion.audit import acting_as
from inclusion.companies.enums import SIAE_KINDS, CompanyKind, CompanySource, contract_types_for
from inclusion.companies.imports.files import read_csv, read_pipe_file
from inclusion.companies.imports.listed import EA_EATT_COLUMNS, GEIQ_COLUMNS, import_ea_eatt, import_geiq
from inclusion.companies.imports.report import Action
from inclusion.companies.imports.run import run_import
from inclusion.companies.imports.siae import ANNEX_COLUMNS, STRUCTURE_COLUMNS, import_siae
from inclusion.companies.models import Company, CompanyMembership, JobDescription
from inclusion.geo.models import Commune
from inclusion.institutions.enums import InstitutionKind
from inclusion.institutions.models import Institution, InstitutionMembership
from inclusion.jobs.models import Appellation
from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from inclusion.prescribers.models import PrescriberMembership, PrescriberOrganization
from inclusion.users.enums import EducationLevel, Title, UserKind
from inclusion.users.models import JobSeekerProfile, User
from inclusion.users.validators import nir_key
from inclusion.utils.demo_applications import load_applications_demo
from inclusion.utils.demo_pass_iae import load_pass_iae_demo
from inclusion.utils.french import de

DEMO_PASSWORD = "Demo-Inclusion-2026!"
DEMO_DOMAIN = "demo.inclusion.test"

# The employers come from the sample State lists, imported as every week in production (docs/imports.md).
SAMPLES = Path(__file__).resolve().parents[3] / "companies" / "data" / "samples"
# The companies of the demo accounts, by (kind, SIRET) in the samples.
EMPLOYER_ACI = (CompanyKind.ACI, "41007919800017")  # Les Jardins de la Croix-Rousse, Lyon
EMPLOYER_GEIQ = (CompanyKind.GEIQ, "41791900800017")  # GEIQ BTP Rhône, Lyon
EMPLOYER_EI = (CompanyKind.EI, "41015838000015")  # Rhône Recyclage Solidaire, Villeurbanne
# No State list for the OPCS ("facilitateurs"): they sign up themselves (organizations.md §8.6).
OPCS = ("82345678500018", "Clause Sociale Métropole de Lyon", "69123", "69003", "20 rue du Lac")

# (kind, name, INSEE code, authorization status, SAFIR code for France Travail agencies).
PRESCRIBERS = [
    (PrescriberOrganizationKind.FT, "France Travail Lyon 7e", "69123", AuthorizationStatus.VALIDATED, "69031"),
    (PrescriberOrganizationKind.ML, "Mission locale de Villeurbanne", "69266", AuthorizationStatus.VALIDATED, ""),
    (PrescriberOrganizationKind.CAP_EMPLOI, "Cap emploi Rhône", "69123", AuthorizationStatus.VALIDATED, ""),
    (PrescriberOrganizationKind.SPIP, "SPIP du Rhône", "69123", AuthorizationStatus.VALIDATED, ""),
    (PrescriberOrganizationKind.CCAS, "CCAS de Vénissieux", "69259", AuthorizationStatus.NOT_SET, ""),
    (PrescriberOrganizationKind.OTHER, "Association Passerelles Bron", "69029", AuthorizationStatus.NOT_REQUIRED, ""),
    (PrescriberOrganizationKind.FT, "France Travail Paris 18e", "75118", AuthorizationStatus.VALIDATED, "75018"),
    (PrescriberOrganizationKind.ML, "Mission locale de Paris", "75111", AuthorizationStatus.VALIDATED, ""),
    (PrescriberOrganizationKind.CHRS, "CHRS La Canopée", "93066", AuthorizationStatus.NOT_SET, ""),
    (
        PrescriberOrganizationKind.FT,
        "France Travail Marseille Belle de Mai",
        "13055",
        AuthorizationStatus.VALIDATED,
        "13003",
    ),
    (PrescriberOrganizationKind.DEPT, "Conseil départemental du Nord", "59350", AuthorizationStatus.VALIDATED, ""),
    (PrescriberOrganizationKind.ML, "Mission locale de Bordeaux", "33063", AuthorizationStatus.VALIDATED, ""),
    (PrescriberOrganizationKind.OTHER, "Collectif Solidarité Réunion", "97411", AuthorizationStatus.NOT_REQUIRED, ""),
]

# Real ROME appellations, offered in turn by the demo companies.
APPELLATION_CODES = [
    "16068",  # Jardinier / Jardinière d'espaces verts
    "10638",  # Agent / Agente de tri des déchets
    "10571",  # Agent / Agente de propreté de locaux
    "12756",  # Commis / Commise de cuisine
    "10805",  # Aide à domicile
    "16250",  # Maçon / Maçonne
    "14635",  # Electricien / Electricienne du bâtiment
    "16361",  # Manutentionnaire
    "11999",  # Chauffeur-livreur / Chauffeuse-livreuse
    "13812",  # Couturier / Couturière
    "11686",  # Cariste manutentionnaire
    "10599",  # Agent / Agente de sécurité
]

JOB_SEEKERS = [
    # (title, first name, last name, birthdate, INSEE commune, birth department in the NIR)
    (Title.MME, "Amina", "Benali", datetime.date(1991, 4, 12), "69123", "69"),
    (Title.M, "Julien", "Moreau", datetime.date(1985, 11, 3), "69266", "42"),
    (Title.M, "Ibrahima", "Diallo", datetime.date(1998, 7, 21), "75118", "99"),
    (Title.MME, "Sandrine", "Payet", datetime.date(1979, 1, 30), "97411", "97"),
    (Title.MME, "Léa", "Fontaine", datetime.date(2002, 9, 8), "13055", "13"),
]


# Who takes part in each part of the demo, among the accounts.
PASS_IAE_DEMO_PEOPLE = ("job_seeker", "prescriber", "prescriber_organization", "employer", "aci", "ei_employer", "ei")
APPLICATIONS_DEMO_PEOPLE = (
    "employer",
    "aci",
    "geiq",
    "prescriber",
    "prescriber_organization",
    "orienteur",
    "orienteur_organization",
)

# Where the demo job seekers live (in the communes of JOB_SEEKERS), for a complete profile.
JOB_SEEKER_STREETS = [
    "8 rue Mercière",
    "21 avenue Roger Salengro",
    "5 rue Ordener",
    "14 rue Juliette Dodu",
    "30 boulevard de la Libération",
]


def demo_siret(index: int, prefix: str) -> str:
    return f"{prefix}{index:05d}".ljust(14, "0")[:14]


def demo_nir(title, birthdate, department, order):
    # department "97" is followed by the third digit of the overseas department in the commune part.
    first_13 = f"{1 if title == Title.M else 2}{birthdate:%y%m}{department}{101:03d}{order:03d}"
    return f"{first_13}{nir_key(first_13):02d}"


class Command(BaseCommand):
    help = "Charge un jeu de données de démonstration réaliste et déterministe (comptes pour chaque rôle)."

    @acting_as("commande : load_demo_data")
    def handle(self, *args, **options):
        if not settings.DEBUG and not options.get("force"):
            raise CommandError("Les données de démonstration ne se chargent qu'en développement (DEBUG=True).")
        communes = {c.code_insee: c for c in Commune.objects.filter(code_insee__in=self._commune_codes())}
        missing = self._commune_codes() - set(communes)
        if missing:
            raise CommandError("Données de référence absentes : lancez d'abord « manage.py import_reference_data ».")
        # The demo sends no e-mail (hirings and requests would): the console would print them in the middle of
        # `make run`. E-mails leave after the commit, hence the setting around the whole transaction.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            self._import_companies()
            self._opcs(communes)
            companies = self._companies()
            job_descriptions = self._job_descriptions(companies)
            prescribers = self._prescribers(communes)
            ddets = self._institution(communes)
            accounts, people = self._accounts(communes, companies, prescribers, ddets)
            job_seekers = self._job_seekers(communes)
            load_pass_iae_demo(
                **{name: people[name] for name in PASS_IAE_DEMO_PEOPLE},
                other_job_seeker=job_seekers[0],
                third_job_seeker=job_seekers[1],
            )
            load_applications_demo(
                **{name: people[name] for name in APPLICATIONS_DEMO_PEOPLE}, job_seekers=job_seekers[2:5]
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Démo : {len(companies)} entreprises ({self._companies_by_source(companies)}), "
                f"{job_descriptions} fiches de poste, "
                f"{len(prescribers)} organisations prescriptrices, 1 DDETS, "
                f"{len(JOB_SEEKERS) + 1} candidats, {Approval.objects.count()} PASS IAE, "
                f"{JobApplication.objects.count()} candidatures."
            )
        )
        self.stdout.write(f"\nComptes de démonstration (mot de passe commun : {DEMO_PASSWORD})")
        for role, email in accounts:
            self.stdout.write(f"  {role:<42} {email}")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Charger même hors développement (tests, recette).")

    def _commune_codes(self):
        return {OPCS[2]} | {p[2] for p in PRESCRIBERS} | {j[4] for j in JOB_SEEKERS}

    def _import_companies(self):
        """Run the three weekly imports on the sample lists (wet run; a second run changes nothing)."""
        now = timezone.now()
        structures = read_csv(SAMPLES / "siae_structures.csv", STRUCTURE_COLUMNS)
        annexes = read_csv(SAMPLES / "siae_annexes.csv", ANNEX_COLUMNS)
        geiq = read_csv(SAMPLES / "geiq.csv", GEIQ_COLUMNS)
        ea_eatt = read_pipe_file(SAMPLES / "ea_eatt.txt", EA_EATT_COLUMNS)
        for importer in (
            lambda: import_siae(structure_rows=structures, annex_rows=annexes, now=now),
            lambda: import_geiq(rows=geiq, now=now),
            lambda: import_ea_eatt(file=ea_eatt, now=now),
        ):
            report = run_import(importer, wet_run=True)
            if report.of(Action.REJECTED):
                raise CommandError(f"Fichiers d'exemple invalides :\n{report.render(wet_run=True)}")

    def _opcs(self, communes):
        siret, name, code, post_code, street = OPCS
        company, created = Company.objects.get_or_create(
            siret=siret,
            kind=CompanyKind.OPCS,
            defaults={
                "name": name,
                "address_line_1": street,
                "post_code": post_code,
                "naf": "8411Z",
                "source": CompanySource.USER_CREATED,
            },
        )
        if created:
            company.set_location_from_commune(communes[code])
            company.save()

    def _companies(self):
        companies = list(Company.objects.order_by("department", "name", "kind"))
        for index, company in enumerate(companies, start=1):
            if not company.description:  # what the employer would write; the lists do not carry it
                company.description = (
                    f"{company.name} accompagne des personnes éloignées de l'emploi vers un emploi durable."
                )
                company.email = f"contact{index}@{DEMO_DOMAIN}"
                company.save(update_fields=["description", "email", "updated_at"])
        return companies

    @staticmethod
    def _companies_by_source(companies):
        siae = sum(company.kind in SIAE_KINDS for company in companies)
        geiq = sum(company.kind == CompanyKind.GEIQ for company in companies)
        ea = sum(company.kind in (CompanyKind.EA, CompanyKind.EATT) for company in companies)
        others = len(companies) - siae - geiq - ea
        return f"{siae} SIAE, {geiq} GEIQ, {ea} EA ou EATT importées des listes d'exemple, {others} OPCS"

    def _job_descriptions(self, companies):
        appellations = {a.code: a for a in Appellation.objects.filter(code__in=APPELLATION_CODES)}
        if len(appellations) != len(APPELLATION_CODES):
            raise CommandError("Données de référence absentes : lancez d'abord « manage.py import_reference_data ».")
        count = 0
        for index, company in enumerate(companies):
            # Two jobs for most companies, one for every third: a varied but deterministic registry.
            for offset in range(1 if index % 3 == 2 else 2):
                appellation = appellations[APPELLATION_CODES[(index + offset * 5) % len(APPELLATION_CODES)]]
                JobDescription.objects.get_or_create(
                    company=company,
                    appellation=appellation,
                    defaults={
                        "contract_type": contract_types_for(company.kind)[0],
                        "location": company.commune,
                        "hours_per_week": 26 if offset else 35,
                        "open_positions": 1 + index % 3,
                        "description": f"Au sein {de(company.display_name)}, vous serez accompagné(e) par un "
                        f"encadrant technique et un conseiller en insertion professionnelle.",
                        "profile_description": "Débutant(e) accepté(e). Motivation et ponctualité.",
                    },
                )
                count += 1
        return count

    def _prescribers(self, communes):
        organizations = []
        for index, (kind, name, code, status, safir) in enumerate(PRESCRIBERS, start=1):
            commune = communes[code]
            organization, _ = PrescriberOrganization.objects.get_or_create(
                name=name,
                kind=kind,
                defaults={
                    "siret": "" if kind == PrescriberOrganizationKind.FT else demo_siret(index, "7"),
                    "code_safir_pole_emploi": safir,
                    "authorization_status": status,
                    "post_code": commune.postal_code_list[0],
                    "email": f"prescripteur{index}@{DEMO_DOMAIN}",
                },
            )
            if organization.commune_id is None:
                organization.set_location_from_commune(commune)
                organization.save()
            organizations.append(organization)
        return organizations

    def _institution(self, communes):
        ddets, _ = Institution.objects.get_or_create(
            kind=InstitutionKind.DDETS_IAE, department="69", defaults={"name": "DDETS du Rhône"}
        )
        if ddets.commune_id is None:
            ddets.set_location_from_commune(communes["69123"])
            ddets.post_code = "69003"
            ddets.save()
        return ddets

    def _user(self, email, kind, first_name, last_name, title=Title.MME):
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "kind": kind,
                "first_name": first_name,
                "last_name": last_name,
                "title": title,
                "email_verified_at": timezone.now(),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if kind == UserKind.STAFF:
                user.is_superuser = True
            user.save()
        return user

    def _member(self, membership_model, user, organization, is_admin=True):
        membership_model.objects.get_or_create(user=user, organization=organization, defaults={"is_admin": is_admin})

    def _accounts(self, communes, companies, prescribers, ddets):
        professional = UserKind.PROFESSIONAL
        employer = self._user(f"employeur@{DEMO_DOMAIN}", professional, "Claire", "Martin")
        by_key = {(company.kind, company.siret): company for company in companies}
        self._member(CompanyMembership, employer, by_key[EMPLOYER_ACI])  # the ACI of Lyon
        self._member(CompanyMembership, employer, by_key[EMPLOYER_GEIQ])  # and a GEIQ, to switch organization
        other_employer = self._user(f"employeur.ei@{DEMO_DOMAIN}", professional, "Karim", "Haddad", Title.M)
        self._member(CompanyMembership, other_employer, by_key[EMPLOYER_EI])
        prescriber = self._user(f"prescripteur@{DEMO_DOMAIN}", professional, "Nathalie", "Lefèvre")
        self._member(PrescriberMembership, prescriber, prescribers[0])  # France Travail, authorized
        orienteur = self._user(f"orienteur@{DEMO_DOMAIN}", professional, "Thomas", "Girard", Title.M)
        self._member(PrescriberMembership, orienteur, prescribers[5])  # association, no authorization
        institution_member = self._user(f"ddets@{DEMO_DOMAIN}", professional, "Hélène", "Roux")
        self._member(InstitutionMembership, institution_member, ddets)
        staff = self._user(f"admin@{DEMO_DOMAIN}", UserKind.STAFF, "Support", "Plateforme")
        job_seeker = self._user(f"candidat@{DEMO_DOMAIN}", UserKind.JOB_SEEKER, "Sophie", "Durand")
        if job_seeker.commune_id is None:
            self._set_address(job_seeker, communes["69123"], "12 rue de la République")
        JobSeekerProfile.objects.get_or_create(
            user=job_seeker,
            defaults={
                "birthdate": datetime.date(1990, 3, 15),
                "nir": demo_nir(Title.MME, datetime.date(1990, 3, 15), "69", 1),
                "education_level": EducationLevel.BEP_CAP,
            },
        )
        people = {
            "job_seeker": job_seeker,
            "prescriber": prescriber,
            "prescriber_organization": prescribers[0],
            "employer": employer,
            "aci": by_key[EMPLOYER_ACI],
            "ei_employer": other_employer,
            "ei": by_key[EMPLOYER_EI],
            "geiq": by_key[EMPLOYER_GEIQ],
            "orienteur": orienteur,
            "orienteur_organization": prescribers[5],
        }
        return [
            ("Candidat", job_seeker.email),
            ("Prescripteur habilité (France Travail)", prescriber.email),
            ("Orienteur (association)", orienteur.email),
            ("Employeur (ACI, aussi membre d'un GEIQ)", employer.email),
            ("Employeur (EI)", other_employer.email),
            ("Institution (DDETS IAE du Rhône)", institution_member.email),
            ("Administrateur (support)", staff.email),
        ], people

    def _set_address(self, user, commune, street):
        user.address_line_1, user.commune, user.city = street, commune, commune.name
        user.post_code = commune.postal_code_list[0]
        user.save()

    def _job_seekers(self, communes):
        users = []
        for order, (title, first_name, last_name, birthdate, code, nir_department) in enumerate(JOB_SEEKERS, start=2):
            email = f"{first_name}.{last_name}@{DEMO_DOMAIN}".lower().replace("é", "e")
            user = self._user(email, UserKind.JOB_SEEKER, first_name, last_name, title)
            if user.commune_id is None:
                self._set_address(user, communes[code], JOB_SEEKER_STREETS[order - 2])
            JobSeekerProfile.objects.get_or_create(
                user=user,
                defaults={"birthdate": birthdate, "nir": demo_nir(title, birthdate, nir_department, order)},
            )
            users.append(user)
        return users
