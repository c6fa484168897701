"""The compliance parts of pages that instruments renders (a participant's profile).

Instruments may not import reports, so its templates ask for these parts by tag; the tags
read through reports.selectors like every other page.
"""

from datetime import date

from django import template

from reports import domain
from reports.standings import obligation_standings
from states.models import Participant

register = template.Library()


@register.inclusion_tag("includes/participant_compliance.html")
def participant_compliance(participant: Participant, as_of: date) -> dict:
    """Each obligation that applies to `participant` on `as_of`, and where it stands (six
    queries: the standings for one participant)."""
    standings = obligation_standings(as_of=as_of, participant_ids=[participant.pk])
    rows = []
    for obligation in standings.obligations:
        standing = standings.standing(participant.pk, obligation.pk)
        if standing.state == domain.NOT_APPLICABLE:
            continue
        overdue = standing.state == domain.NO_SUBMISSION_ON_RECORD and standing.due_on
        rows.append(
            {
                "obligation": obligation,
                "standing": standing,
                "days_overdue": domain.days_overdue(standing.due_on, as_of) if overdue else None,
                "bucket": (
                    domain.AGEING_BUCKETS[domain.ageing_bucket(standing.due_on, as_of)]
                    if overdue
                    else None
                ),
            }
        )
    return {"participant": participant, "as_of": as_of, "rows": rows}
