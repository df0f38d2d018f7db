"""What an import did (or would do, in a dry run), line by line with the reason, in French."""

import enum
from collections import Counter
from dataclasses import dataclass, field


def no_progress(rows):
    return rows


class Action(enum.Enum):
    # (heading of the section, noun used in the totals); the order is the order of the report.
    CREATED = ("Créations", "création(s)")
    CONVERTED = ("Conversions", "conversion(s)")
    UPDATED = ("Mises à jour", "mise(s) à jour")
    REACTIVATED = ("Réactivations", "réactivation(s)")
    DEACTIVATED = ("Désactivations", "désactivation(s)")
    KEPT = ("Maintenues par un garde-fou", "maintenue(s) par un garde-fou")
    HIDDEN = ("Masquées de la recherche", "masquée(s) de la recherche")
    DELETED = ("Suppressions", "suppression(s)")
    REJECTED = ("Lignes rejetées", "ligne(s) rejetée(s)")

    @property
    def heading(self):
        return self.value[0]

    @property
    def noun(self):
        return self.value[1]


# What the database would look like after the run: everything except rejected rows and safety valves.
CHANGING_ACTIONS = frozenset(Action) - {Action.REJECTED, Action.KEPT}


@dataclass(frozen=True)
class ReportLine:
    action: Action
    subject: str
    reason: str

    def __str__(self):
        return f"  - {self.subject} : {self.reason}"


@dataclass
class ImportReport:
    title: str
    lines: list[ReportLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Rows left aside on purpose (penitentiary measures, annexes of unknown structures...): counted per reason.
    skipped: Counter = field(default_factory=Counter)

    def add(self, action: Action, subject: str, reason: str):
        self.lines.append(ReportLine(action, subject, reason))

    def reject(self, subject: str, reason: str):
        self.add(Action.REJECTED, subject, reason)

    def skip(self, reason: str):
        self.skipped[reason] += 1

    def note(self, text: str):
        self.notes.append(text)

    def of(self, action: Action) -> list[ReportLine]:
        return [line for line in self.lines if line.action == action]

    @property
    def totals(self) -> dict[Action, int]:
        counts = Counter(line.action for line in self.lines)
        return {action: counts[action] for action in Action}

    @property
    def changed(self) -> bool:
        return any(line.action in CHANGING_ACTIONS for line in self.lines)

    def render(self, *, wet_run: bool) -> str:
        mode = (
            "changements enregistrés"
            if wet_run
            else "SIMULATION : rien n'a été enregistré (relancez avec --wet-run pour enregistrer ces changements)"
        )
        out = [f"{self.title} — {mode}"]
        out += [f"Note : {note}" for note in self.notes]
        for action in Action:
            lines = self.of(action)
            if lines:
                out.append(f"{action.heading} ({len(lines)})")
                out += [str(line) for line in lines]
        if self.skipped:
            out.append(f"Lignes ignorées ({sum(self.skipped.values())})")
            out += [f"  - {count} × {reason}" for reason, count in sorted(self.skipped.items())]
        if not self.changed:
            out.append("Aucun changement : tout est déjà à jour.")
        out.append("Totaux : " + ", ".join(f"{count} {action.noun}" for action, count in self.totals.items()))
        return "\n".join(out)
