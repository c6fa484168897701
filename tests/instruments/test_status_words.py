"""The words the pages use for a status."""

from datetime import date

from instruments import domain
from instruments.templatetags.treaty import status_word


def test_before_entry_into_force_a_state_is_called_a_contracting_state_not_a_party():
    # VCLT art. 2(1)(f): a contracting State has consented, whether or not the treaty is in
    # force for it; art. 2(1)(g): a party has consented and the treaty is in force for it.
    deposited = domain.ParticipantStatus(
        status=domain.PARTY, in_force=False, consent_date=date(2017, 7, 11)
    )
    assert status_word(deposited) == "Contracting State, not yet in force"
    bound = domain.ParticipantStatus(status=domain.PARTY, in_force=True)
    assert status_word(bound) == "Party, in force"
