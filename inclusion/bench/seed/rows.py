"""The rows of each table, in COPY text: one method per table, with the columns the models define.

Values come in as Python values (ints, strings, moments as epoch seconds, days as day numbers, None); every method
writes exactly the columns of its table, the platform's defaults included, so that the tables need no default from
the database (Django keeps its defaults in Python).
"""

import hashlib
import hmac

from django.conf import settings

from inclusion.bench.seed.loading import FALSE, NULL, TRUE, Tables, flag, opt
from inclusion.bench.seed.text import JOB_DESCRIPTION_TEXT, PROFILE_TEXT

USER_COLUMNS = """id password last_login is_superuser public_id email kind title first_name last_name phone
    identity_provider address_line_1 address_line_2 post_code city is_active is_staff date_joined email_verified_at
    first_login last_checked_at terms_accepted_at commune_id created_by_id"""
PROFILE_COLUMNS = """id user_id birthdate birth_country_id birth_place_id nir lack_of_nir_reason pole_emploi_id
    lack_of_pole_emploi_id_reason asp_uid education_level resourceless rqth_employee oeth_employee pole_emploi_since
    unemployed_since has_rsa_allocation rsa_allocation_since ass_allocation_since aah_allocation_since
    are_allocation_since activity_bonus_since cape_freelance cesa_freelance actor_met_for_business_creation
    mean_monthly_income_before_process ase_exit isolated_parent housing_issue refugee detention_exit_or_ppsmj
    low_level_in_french mobility_issue is_stalled is_not_stalled_anymore created_by_prescriber_organization_id"""
ORGANIZATION_COLUMNS = """id uid name address_line_1 address_line_2 post_code city department latitude longitude
    created_at updated_at members_reminder_sent_at"""
COMPANY_COLUMNS = f"""{ORGANIZATION_COLUMNS} siret naf kind brand phone email auth_email website description
    provided_support source block_job_applications job_applications_blocked_at spontaneous_applications_open_since
    is_convergence job_app_score is_searchable commune_id created_by_id convention_id"""
PRESCRIBER_COLUMNS = f"""{ORGANIZATION_COLUMNS} kind siret is_brsa phone email website description
    code_safir_pole_emploi authorization_status authorization_updated_at authorization_updated_by_id commune_id
    created_by_id"""
MEMBERSHIP_COLUMNS = "id user_id organization_id joined_at is_admin is_active created_at updated_at updated_by_id"
APPLICATION_COLUMNS = """id job_seeker_id sender_id sender_kind sender_company_id sender_prescriber_organization_id
    to_company_id state message answer answer_to_prescriber refusal_reason refusal_reason_shared_with_job_seeker
    archived_at archived_by_id hiring_start_at hiring_end_at origin eligibility_diagnosis_id approval_id
    approval_delivery_mode approval_number_sent_by_email approval_number_sent_at created_at updated_at processed_at
    accepted_at accepted_by_id hired_job_id geiq_contract_type geiq_hours_per_week geiq_qualification_type
    geiq_qualification_level geiq_planned_training_hours
    geiq_eligibility_diagnosis_id transferred_at transferred_by_id transferred_from_id
    approval_manually_delivered_by_id approval_manually_delivered_at approval_manually_refused_by_id
    approval_manually_refused_at geiq_contract_type_details geiq_inverted_vae_contract resume"""
# The trailing columns of APPLICATION_COLUMNS, the same for every generated application (no GEIQ diagnosis, no
# transfer, no manual PASS delivery, no resume file).
_APPLICATION_TAIL = "\t".join([NULL] * 8 + ["", FALSE, ""])
# The GEIQ contract of a GEIQ hiring (applications.md §8.2), and the defaults of every other application.
GEIQ_CONTRACT = ("PROFESSIONAL_TRAINING", "35", "CQP", "LEVEL_3", "150")
NO_GEIQ_CONTRACT = ("", NULL, "", "", "0")


class AspUids:
    """`users.models.asp_uid_for`, with the keyed hash prepared once (a million fresh HMAC objects cost a minute);
    tests/bench checks that both agree."""

    def __init__(self):
        self._keyed = hmac.new(settings.SECRET_KEY.encode(), digestmod=hashlib.sha256)

    def __call__(self, user_id):
        digest = self._keyed.copy()
        digest.update(str(user_id).encode())
        return digest.hexdigest()[:30]


class Rows:
    def __init__(self, tables: Tables, clock):
        self.clock = clock
        self.asp_uid = AspUids()
        t = tables.declare
        # Load order: referenced tables first.
        self.users = t("users_user", USER_COLUMNS)
        self.conventions = t(
            "companies_convention",
            "id asp_id kind siret_signature is_active deactivated_at reactivated_at reactivated_by_id created_at "
            "updated_at",
        )
        self.annexes = t(
            "companies_financialannex", "id number convention_id state start_at end_at created_at updated_at"
        )
        self.companies = t("companies_company", COMPANY_COLUMNS)
        self.company_memberships = t("companies_companymembership", MEMBERSHIP_COLUMNS)
        self.prescribers = t("prescribers_prescriberorganization", PRESCRIBER_COLUMNS)
        self.prescriber_memberships = t("prescribers_prescribermembership", MEMBERSHIP_COLUMNS)
        self.job_descriptions = t(
            "companies_jobdescription",
            "id uid company_id appellation_id custom_name description profile_description contract_type "
            "other_contract_type location_id hours_per_week open_positions is_resume_mandatory market_context "
            "is_qpv_mandatory is_active creation_source last_employer_update_at created_at updated_at",
        )
        self.profiles = t("users_jobseekerprofile", PROFILE_COLUMNS)
        self.diagnoses = t(
            "eligibility_eligibilitydiagnosis",
            "id public_id job_seeker_id author_id author_kind author_siae_id author_prescriber_organization_id "
            "created_at updated_at expires_at",
        )
        self.criteria = t(
            "eligibility_selectedadministrativecriteria",
            "id eligibility_diagnosis_id administrative_criteria_id created_at certified_at "
            "certification_period_start certification_period_end certification_period_empty certification_data "
            "last_certification_attempt_at",
        )
        self.approvals = t(
            "approvals_approval",
            "id public_id number user_id start_at end_at origin eligibility_diagnosis_id created_at created_by_id "
            "updated_at ft_notification_status ft_notification_at ft_notification_endpoint ft_notification_code "
            "origin_siae_siret origin_siae_kind origin_sender_kind origin_prescriber_organization_kind",
        )
        self.cancelled_approvals = t(
            "approvals_cancelledapproval",
            "id number start_at end_at user_last_name user_first_name user_nir user_birthdate user_id_national_pe "
            "created_at ft_notification_status ft_notification_at ft_notification_endpoint ft_notification_code "
            "origin_siae_siret origin_siae_kind origin_sender_kind origin_prescriber_organization_kind",
        )
        self.approval_events = t(
            "approvals_approvalevent", "id approval_id approval_number kind user_id created_at data"
        )
        self.applications = t("applications_jobapplication", APPLICATION_COLUMNS)
        self.selected_jobs = t("applications_jobapplication_selected_jobs", "id jobapplication_id jobdescription_id")
        self.prior_actions = t("applications_prioraction", "id job_application_id kind start_at end_at created_at")
        self.assignments = t(
            "users_jobseekerassignment",
            "id job_seeker_id professional_id prescriber_organization_id company_id last_action is_unknown_advisor "
            "created_at updated_at",
        )

    # --- Users

    def user(
        self,
        *,
        id,
        kind,
        password,
        public_id,
        email,
        title,
        first_name,
        last_name,
        phone,
        place=None,
        address_line_1="",
        date_joined,
        email_verified_at=None,
        last_checked_at,
        terms_accepted_at=None,
        created_by_id=None,
        identity_provider="DJANGO",
    ):
        ts = self.clock.ts
        self.users.add(
            str(id),
            password,
            NULL,
            FALSE,
            public_id,
            opt(email),
            kind,
            title,
            first_name,
            last_name,
            phone,
            identity_provider,
            address_line_1,
            "",
            place.post_code if place else "",
            place.name if place else "",
            TRUE,
            FALSE,
            ts(date_joined),
            self.clock.ts_or_null(email_verified_at),
            NULL,
            ts(last_checked_at),
            self.clock.ts_or_null(terms_accepted_at),
            str(place.id) if place else NULL,
            opt(created_by_id),
        )

    def profile(
        self,
        *,
        id,
        user_id,
        birthdate,
        birth_country_id,
        birth_place_id,
        nir,
        lack_of_nir_reason,
        pole_emploi_id,
        lack_of_pole_emploi_id_reason,
        education_level,
        situation,
        created_by_organization_id,
    ):
        """`situation`: the 24 columns from `resourceless` to `is_not_stalled_anymore`, already in COPY text."""
        self.profiles.add(
            str(id),
            str(user_id),
            self.clock.date(birthdate),
            str(birth_country_id),
            opt(birth_place_id),
            nir,
            lack_of_nir_reason,
            pole_emploi_id,
            lack_of_pole_emploi_id_reason,
            self.asp_uid(user_id),
            education_level,
            *situation,
            opt(created_by_organization_id),
        )

    # --- Organizations

    def _organization(self, *, id, uid, name, address_line_1, place, created_at):
        ts = self.clock.ts(created_at)
        return (
            str(id),
            uid,
            name,
            address_line_1,
            "",
            place.post_code,
            place.name,
            place.department,
            repr(place.latitude),
            repr(place.longitude),
            ts,
            ts,
            NULL,
        )

    def convention(self, *, id, asp_id, kind, siret, is_active, deactivated_at, created_at):
        ts = self.clock.ts(created_at)
        self.conventions.add(
            str(id),
            str(asp_id),
            kind,
            siret,
            flag(is_active),
            self.clock.ts_or_null(deactivated_at),
            NULL,
            NULL,
            ts,
            ts,
        )

    def annex(self, *, id, number, convention_id, state, start_at, end_at, created_at):
        ts = self.clock.ts(created_at)
        self.annexes.add(
            str(id), number, str(convention_id), state, self.clock.date(start_at), self.clock.date(end_at), ts, ts
        )

    def company(
        self,
        *,
        id,
        uid,
        name,
        address_line_1,
        place,
        created_at,
        siret,
        naf,
        kind,
        phone,
        email,
        source,
        spontaneous_since,
        convention_id,
    ):
        self.companies.add(
            *self._organization(
                id=id, uid=uid, name=name, address_line_1=address_line_1, place=place, created_at=created_at
            ),
            siret,
            naf,
            kind,
            "",
            phone,
            email,
            email,
            "",
            "",
            "",
            source,
            FALSE,
            NULL,
            self.clock.ts_or_null(spontaneous_since),
            FALSE,
            NULL,
            TRUE,
            str(place.id),
            NULL,
            opt(convention_id),
        )

    def prescriber(
        self,
        *,
        id,
        uid,
        name,
        address_line_1,
        place,
        created_at,
        kind,
        siret,
        is_brsa,
        phone,
        email,
        safir,
        authorization_status,
    ):
        authorized_at = self.clock.ts(created_at) if authorization_status in ("VALIDATED", "REFUSED") else NULL
        self.prescribers.add(
            *self._organization(
                id=id, uid=uid, name=name, address_line_1=address_line_1, place=place, created_at=created_at
            ),
            kind,
            siret,
            flag(is_brsa),
            phone,
            email,
            "",
            "",
            safir,
            authorization_status,
            authorized_at,
            NULL,
            str(place.id),
            NULL,
        )

    def membership(self, table, *, id, user_id, organization_id, joined_at, is_admin):
        ts = self.clock.ts(joined_at)
        table.add(str(id), str(user_id), str(organization_id), ts, flag(is_admin), TRUE, ts, ts, NULL)

    def job_description(
        self,
        *,
        id,
        uid,
        company_id,
        appellation_id,
        contract_type,
        other_contract_type,
        location_id,
        hours_per_week,
        is_active,
        last_update,
        created_at,
    ):
        self.job_descriptions.add(
            str(id),
            uid,
            str(company_id),
            str(appellation_id),
            "",
            JOB_DESCRIPTION_TEXT,
            PROFILE_TEXT,
            contract_type,
            other_contract_type,
            str(location_id),
            str(hours_per_week),
            "1",
            FALSE,
            "",
            FALSE,
            flag(is_active),
            "MANUALLY",
            self.clock.ts(last_update),
            self.clock.ts(created_at),
            self.clock.ts(last_update),
        )

    # --- Eligibility and PASS IAE

    def diagnosis(
        self, *, id, public_id, job_seeker_id, author_id, author_kind, siae_id, prescriber_id, created_at, expires_at
    ):
        ts = self.clock.ts(created_at)
        self.diagnoses.add(
            str(id),
            public_id,
            str(job_seeker_id),
            str(author_id),
            author_kind,
            opt(siae_id),
            opt(prescriber_id),
            ts,
            ts,
            self.clock.date(expires_at),
        )

    def criterion(self, *, id, diagnosis_id, code, created_at, certification=None):
        """`certification`: None (never attempted), or (attempted at, period start day or None for "not
        certified")."""
        ts = self.clock.ts(created_at)
        if certification is None:
            self.criteria.add(str(id), str(diagnosis_id), code, ts, NULL, NULL, NULL, FALSE, NULL, NULL)
            return
        attempted_at, period_start = certification
        attempted = self.clock.ts(attempted_at)
        if period_start is None:  # eligibility.md §6.4: "not beneficiary": empty period
            self.criteria.add(str(id), str(diagnosis_id), code, ts, attempted, NULL, NULL, TRUE, NULL, attempted)
        else:  # beneficiary since `period_start`, open-ended
            self.criteria.add(
                str(id),
                str(diagnosis_id),
                code,
                ts,
                attempted,
                self.clock.date(period_start),
                NULL,
                FALSE,
                NULL,
                attempted,
            )

    def approval(
        self,
        *,
        id,
        public_id,
        number,
        user_id,
        start_at,
        end_at,
        diagnosis_id,
        created_at,
        created_by_id,
        ft_status,
        origin_facts,
    ):
        ts = self.clock.ts(created_at)
        notified = self.clock.ts(created_at + 86_400) if ft_status == "success" else NULL
        self.approvals.add(
            str(id),
            public_id,
            number,
            str(user_id),
            self.clock.date(start_at),
            self.clock.date(end_at),
            "default",
            str(diagnosis_id),
            ts,
            opt(created_by_id),
            ts,
            ft_status,
            notified,
            "",
            "",
            *origin_facts,
        )

    def approval_event(self, *, id, approval_id, number, user_id, created_at, start_at, end_at):
        data = f'{{"start_at": "{self.clock.date(start_at)}", "end_at": "{self.clock.date(end_at)}"}}'
        self.approval_events.add(
            str(id), str(approval_id), number, "CREATED", opt(user_id), self.clock.ts(created_at), data
        )

    def cancelled_approval(
        self, *, id, number, start_at, end_at, last_name, first_name, nir, birthdate, created_at, origin_facts
    ):
        self.cancelled_approvals.add(
            str(id),
            number,
            self.clock.date(start_at),
            self.clock.date(end_at),
            last_name,
            first_name,
            nir,
            self.clock.date(birthdate),
            "",
            self.clock.ts(created_at),
            "pending",
            NULL,
            "",
            "",
            *origin_facts,
        )

    # --- Applications

    def application(
        self,
        *,
        id,
        job_seeker_id,
        sender_id,
        sender_kind,
        sender_company_id,
        sender_prescriber_id,
        to_company_id,
        state,
        message,
        answer="",
        answer_to_prescriber="",
        refusal_reason="",
        refusal_shared=False,
        archived_at=None,
        archived_by_id=None,
        hiring_start_at=None,
        hiring_end_at=None,
        diagnosis_id=None,
        approval_id=None,
        created_at,
        updated_at,
        processed_at=None,
        accepted_at=None,
        accepted_by_id=None,
        hired_job_id=None,
        geiq_contract=False,
    ):
        clock = self.clock
        with_approval = approval_id is not None
        self.applications.add(
            id,
            str(job_seeker_id),
            opt(sender_id),
            sender_kind,
            opt(sender_company_id),
            opt(sender_prescriber_id),
            str(to_company_id),
            state,
            message,
            answer,
            answer_to_prescriber,
            refusal_reason,
            flag(refusal_shared),
            clock.ts_or_null(archived_at),
            opt(archived_by_id),
            NULL if hiring_start_at is None else clock.date(hiring_start_at),
            NULL if hiring_end_at is None else clock.date(hiring_end_at),
            "default",
            opt(diagnosis_id),
            opt(approval_id),
            "automatic" if with_approval else "",
            flag(with_approval),
            clock.ts(accepted_at) if with_approval else NULL,
            clock.ts(created_at),
            clock.ts(updated_at),
            clock.ts_or_null(processed_at),
            clock.ts_or_null(accepted_at),
            opt(accepted_by_id),
            opt(hired_job_id),
            *(GEIQ_CONTRACT if geiq_contract else NO_GEIQ_CONTRACT),
            _APPLICATION_TAIL,
        )

    def selected_job(self, *, id, application_id, job_description_id):
        self.selected_jobs.add(str(id), application_id, str(job_description_id))

    def prior_action(self, *, id, application_id, kind, start_at, end_at, created_at):
        self.prior_actions.add(
            str(id),
            application_id,
            kind,
            self.clock.date(start_at),
            self.clock.date(end_at),
            self.clock.ts(created_at),
        )

    def assignment(
        self, *, id, job_seeker_id, professional_id, prescriber_id, company_id, action, created_at, updated_at
    ):
        self.assignments.add(
            str(id),
            str(job_seeker_id),
            str(professional_id),
            opt(prescriber_id),
            opt(company_id),
            action,
            FALSE,
            self.clock.ts(created_at),
            self.clock.ts(updated_at),
        )
