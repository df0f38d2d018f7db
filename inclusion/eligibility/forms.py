"""The criteria forms of the eligibility diagnoses (eligibility.md §3, §4, §7).

The forms only parse what was ticked; whether the selection is acceptable (counts, exclusions, orphan children) is
decided by `rules.py`, whose French messages become the form errors. The templates render the checkboxes by hand
(grouped by level, or parents with their children for GEIQ), from the rows built here.
"""

from dataclasses import dataclass

from django import forms

from inclusion.eligibility import rules
from inclusion.eligibility.enums import AuthorKind, CertificationSource

UNKNOWN_CRITERION = (
    "Critère inconnu : « %(value)s ». Rechargez la page puis cochez les critères dans la liste proposée."
)
NOT_A_LIST = "La liste des critères envoyée est illisible. Rechargez la page puis cochez les critères à nouveau."
SEVERAL_FT_DURATIONS = "Une seule durée d'inscription à France Travail peut être choisie."
GEIQ_COMMITMENT_ID = "geiq-commitment"
GEIQ_COMMITMENT_LABEL = "Je m'engage à conserver les justificatifs pendant 24 mois"
GEIQ_COMMITMENT_REQUIRED = (
    "Cochez l'engagement à conserver les justificatifs pendant 24 mois : il est obligatoire pour enregistrer le "
    "diagnostic (contrôle des GEIQ)."
)


def source_label(source):
    """The name of the State data source able to certify a criterion (eligibility.md §6.1), or ""."""
    return CertificationSource(source).label if source else ""


def proof_hint(criterion):
    """« Justificatif : … » with its maximum age, as the employer must keep it (eligibility.md §3)."""
    proof = criterion.proof
    freshness = criterion.proof_freshness
    if freshness and freshness != "aucune":
        proof = f"{proof} ({freshness})"
    return f"Justificatif : {proof}" if proof else ""


@dataclass(frozen=True)
class CriterionChoice:
    """One checkbox (or radio) of a criteria form, ready for the template."""

    code: str
    label: str
    hint: str
    checked: bool
    input_id: str
    certifiable_by: str = ""

    @property
    def hint_id(self):
        return f"{self.input_id}-hint"


class CriteriaCodesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple
    default_error_messages = {"invalid_choice": UNKNOWN_CRITERION, "invalid_list": NOT_A_LIST}

    def clean(self, value):
        # A tampered POST may repeat a code: keep the first occurrence, in the displayed order.
        return list(dict.fromkeys(super().clean(value)))


class _CriteriaFormBase(forms.Form):
    criteria = CriteriaCodesField(label="Critères administratifs", required=False)

    def _posted_list(self, name):
        return self.data.getlist(name) if hasattr(self.data, "getlist") else []

    def _selected_codes(self):
        """The codes to show as ticked: what was posted, else the initial (pre-filled) codes."""
        if self.is_bound:
            return set(self._posted_list("criteria"))
        return set(self.initial.get("criteria") or ())

    def set_criteria_errors(self, messages):
        for message in messages:
            self.add_error("criteria", message)

    def error_anchors(self):
        """The id of the element each field's errors link to (the first box of a group)."""
        first_choice = next(iter(self.criteria_choices()), None)
        return {"criteria": first_choice.input_id if first_choice else ""}

    def error_summary(self):
        """[(anchor id, message)] for the summary at the top of the page."""
        anchors = self.error_anchors()
        return [(anchors.get(name, ""), message) for name, errors in self.errors.items() for message in errors]


class IAECriteriaForm(_CriteriaFormBase):
    """The 18 IAE criteria, grouped by level (eligibility.md §3).

    `author_kind` and `company_kind` select the counting rule of eligibility.md §4 (none for prescribers).
    """

    def __init__(self, *args, criteria, author_kind, company_kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria_rows = list(criteria)
        self.author_kind = author_kind
        self.company_kind = company_kind
        self.fields["criteria"].choices = [(criterion.code, criterion.name) for criterion in self.criteria_rows]

    def clean_criteria(self):
        codes = self.cleaned_data["criteria"]
        errors = rules.criteria_errors(codes, author_kind=self.author_kind, company_kind=self.company_kind)
        if errors:
            raise forms.ValidationError(errors)
        return codes

    def criteria_choices(self):
        return [choice for _, _, choices in self.levels() for choice in choices]

    def levels(self):
        """[(level value, legend, [CriterionChoice])], in display order (level, then rank)."""
        selected = self._selected_codes()
        groups = {}
        for criterion in self.criteria_rows:
            choice = CriterionChoice(
                code=criterion.code,
                label=criterion.name,
                hint=_iae_hint(criterion),
                checked=criterion.code in selected,
                input_id=f"criterion-{criterion.code.lower()}",
                certifiable_by=source_label(criterion.certifiable_by),
            )
            groups.setdefault(criterion.level, []).append(choice)
        return [(level, f"Critères de niveau {level}", choices) for level, choices in sorted(groups.items())]


def _iae_hint(criterion):
    parts = []
    # The long label only when it says something new: "Allocation aux adultes handicapés" explains "Allocataire
    # AAH", while "Senior (+ de 50 ans)" merely repeats "Senior (+50 ans)".
    if criterion.desc and criterion.desc.split()[0] != criterion.name.split()[0]:
        parts.append(criterion.desc)
    if hint := proof_hint(criterion):
        parts.append(hint)
    return ". ".join(parts)


@dataclass(frozen=True)
class GEIQCriterionGroup:
    """A top-level GEIQ criterion and, when it is a parent, its children (eligibility.md §7.2)."""

    parent: CriterionChoice
    children: list
    exclusive: bool  # the children are one radio group (FT's durations)

    @property
    def children_id(self):
        return f"{self.parent.input_id}-children"


class GEIQCriteriaForm(_CriteriaFormBase):
    """The 28 GEIQ criteria: parents with their children, FT's children as one exclusive radio (eligibility.md §7.2).

    GEIQ employers must also tick the commitment to keep the proofs for 24 months (eligibility.md §7.1).
    """

    ft_duration = forms.ChoiceField(
        label="Durée d'inscription à France Travail",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": UNKNOWN_CRITERION},
    )
    commitment = forms.BooleanField(
        label=GEIQ_COMMITMENT_LABEL, required=True, error_messages={"required": GEIQ_COMMITMENT_REQUIRED}
    )

    def __init__(self, *args, criteria, author_kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria_rows = list(criteria)
        self.author_kind = author_kind
        # eligibility.md §7.2: DELD_12 / DELD / DETLD are one exclusive radio under FT.
        radio = [criterion for criterion in self.criteria_rows if criterion.code in rules.GEIQ_FT_EXCLUSIVE]
        checkboxes = [criterion for criterion in self.criteria_rows if criterion not in radio]
        self.fields["criteria"].choices = [(criterion.code, criterion.name) for criterion in checkboxes]
        self.fields["ft_duration"].choices = [(criterion.code, criterion.name) for criterion in radio]
        if author_kind != AuthorKind.GEIQ:
            del self.fields["commitment"]
        if not self.is_bound:
            initial_codes = set(self.initial.get("criteria") or ())
            self.initial["ft_duration"] = next((c.code for c in radio if c.code in initial_codes), "")

    @property
    def needs_commitment(self):
        return "commitment" in self.fields

    def clean_ft_duration(self):
        # A radio sends one value; several can only come from a forged request.
        if len(self._posted_list("ft_duration")) > 1:
            raise forms.ValidationError(SEVERAL_FT_DURATIONS)
        return self.cleaned_data["ft_duration"]

    def clean(self):
        cleaned_data = super().clean()
        if "criteria" in cleaned_data and "ft_duration" in cleaned_data:
            duration = cleaned_data["ft_duration"]
            codes = [*cleaned_data["criteria"], *([duration] if duration else [])]
            errors = rules.geiq_criteria_errors(codes, author_kind=self.author_kind)
            if errors:
                self.set_criteria_errors(errors)
            # eligibility.md §7.2: a child ticked without its parent is discarded.
            cleaned_data["codes"] = rules.geiq_normalized_codes(codes)
        return cleaned_data

    def criteria_choices(self):
        return [group.parent for group in self.groups()]

    def error_anchors(self):
        groups = self.groups()
        radio = next((child for group in groups if group.exclusive for child in group.children), None)
        return {
            **super().error_anchors(),
            "ft_duration": radio.input_id if radio else "",
            "commitment": GEIQ_COMMITMENT_ID,
        }

    def _selected_radio(self):
        if self.is_bound:
            return self.data.get("ft_duration", "")
        return self.initial.get("ft_duration", "")

    def commitment_checked(self):
        return bool(self.data.get("commitment")) if self.is_bound else False

    def groups(self):
        """[GEIQCriterionGroup] in the order of eligibility.md §7.2."""
        selected = self._selected_codes()
        selected_radio = self._selected_radio()

        def choice(criterion, checked):
            return CriterionChoice(
                code=criterion.code,
                label=criterion.name,
                hint="",
                checked=checked,
                input_id=f"geiq-criterion-{criterion.slug}",
                certifiable_by=source_label(criterion.certifiable_by),
            )

        children_of = {}
        for criterion in self.criteria_rows:
            if criterion.parent_id:
                children_of.setdefault(criterion.parent_id, []).append(criterion)
        groups = []
        for criterion in self.criteria_rows:
            if criterion.parent_id:
                continue
            exclusive = any(child.code in rules.GEIQ_FT_EXCLUSIVE for child in children_of.get(criterion.code, []))
            children = [
                choice(child, child.code == selected_radio if exclusive else child.code in selected)
                for child in children_of.get(criterion.code, [])
            ]
            groups.append(GEIQCriterionGroup(choice(criterion, criterion.code in selected), children, exclusive))
        return groups
