"""The directory's first entries, from the notifications already in the treaty data.

The treaty data (instruments/data/declarations.csv) hold notifications as short summaries in
the tracker's own words: "Central authority: Ministry of Justice" under UNTOC art. 18(13),
"Languages accepted: Polish and English" under art. 18(14), "Point of contact: ..." under FIR
art. 13(2). Each becomes a designation through the services, with the notification's date as
the date notified (none when the record gives none: no date is made up), no date of effect
(the record does not give one) and the notification's source.

Left out, and said so: a summary whose text the record says is cut (a name cut off, "text
cut"), since the name would be incomplete or guessed, and a notification whose content is not
visible (the SOM art. 8(6) entries). A pair that already holds a designation from another
source (an approved submission, an editor's entry) is kept as it is.

Safe to run again: a designation seeded before is found by its participant, obligation and
source, and changed only if the notification's summary or date changed.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from core.events import origin
from core.models import Event
from instruments.models import Declaration
from instruments.services import TreatyRuleError
from reports import domain
from reports.authorities import LANGUAGES, designates
from reports.authority_services import designation_record, designation_update
from reports.models import AuthorityDesignation, Obligation

# "Central authority: X", "Languages accepted: X", "Point of contact: X", ...
LABELLED = re.compile(r"^(?P<label>[A-Za-z /]{3,60}):\s*(?P<text>.+)$")
CUT = re.compile(r"\bcut\b|cut off", re.IGNORECASE)


@dataclass
class SeedSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    left_out: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"designations: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.left_out)} left out"
        )


@dataclass(frozen=True)
class Seed:
    declaration: Declaration
    obligation: Obligation
    authority_name: str = ""
    languages: str = ""


def seed_text(summary: str, kind: str) -> str | None:
    """What a notification's summary designates: the text after its label ("Central
    authority: ..."); for languages the whole summary when it has no label. None when the
    record says the text is cut."""
    if CUT.search(summary):
        return None
    labelled = LABELLED.match(summary.strip())
    if labelled:
        return labelled.group("text").strip()
    return summary.strip() if kind == LANGUAGES else None


def seeds() -> tuple[list[Seed], list[str]]:
    """The notifications that designate, as seeds, and why each other one is left out."""
    obligations = [o for o in Obligation.objects.select_related("instrument") if designates(o.code)]
    found, left_out = [], []
    notifications = Declaration.objects.filter(kind=Declaration.Kind.NOTIFICATION)
    for declaration in notifications.select_related("participant", "instrument"):
        for obligation in obligations:
            if obligation.instrument_id != declaration.instrument_id:
                continue
            if not domain.article_matches(obligation.article, declaration.article):
                continue
            kind = designates(obligation.code) or ""
            text = seed_text(declaration.summary, kind)
            if text is None:
                left_out.append(
                    f"{declaration.participant} under {obligation.reference}: the record's "
                    f"text is cut or names no authority (“{declaration.summary}”)"
                )
                continue
            values = {"languages": text} if kind == LANGUAGES else {"authority_name": text}
            found.append(Seed(declaration, obligation, **values))
    return found, left_out


def _seed_one(seed: Seed, summary: SeedSummary) -> None:
    declaration = seed.declaration
    participant, obligation = declaration.participant, seed.obligation
    pair = AuthorityDesignation.objects.filter(participant=participant, obligation=obligation)
    stored = pair.filter(source=declaration.source).first()
    wanted: dict[str, str | date | None] = {
        "authority_name": seed.authority_name,
        "languages": seed.languages,
        "notified_on": declaration.date,
    }
    if stored is not None:
        if all(getattr(stored, name) == value for name, value in wanted.items()):
            summary.unchanged += 1
            return
        designation_update(None, designation=stored, **wanted)
        summary.updated += 1
        return
    if pair.exists():
        summary.left_out.append(
            f"{participant} under {obligation.reference}: a designation from another source "
            "is on record, kept as it is"
        )
        return
    designation_record(
        None,
        participant=participant,
        obligation=obligation,
        source=declaration.source,
        authority_name=seed.authority_name,
        languages=seed.languages,
        notified_on=declaration.date,
    )
    summary.created += 1


def designations_seed() -> SeedSummary:
    """Record a designation for each notification that names one (see the module's
    docstring); each in a transaction of its own, so that one the rules refuse (reported,
    with the rule's words) leaves the others recorded."""
    found, left_out = seeds()
    summary = SeedSummary(left_out=left_out)
    with origin(Event.Origin.DATA_LOAD):
        for seed in found:
            try:
                with transaction.atomic():
                    _seed_one(seed, summary)
            except TreatyRuleError as refused:
                words = "; ".join(v.message for v in refused.violations)
                summary.left_out.append(
                    f"{seed.declaration.participant} under {seed.obligation.reference}: {words}"
                )
    return summary
