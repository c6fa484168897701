"""Rules about participants that need no database."""

import pycountry

# ISO 3166-1 reserves "EU" as an alpha-2 code only and has no alpha-3 code for the European
# Union. The tracker uses "EUU", the code the World Bank and several UN statistical tables use
# for the EU, so that every participant has a three-letter identifier in URLs and files.
EUROPEAN_UNION_CODE = "EUU"

# Codes outside ISO 3166-1 that the tracker accepts, each for a regional economic integration
# organization the depositary lists as a participant.
ORGANIZATION_CODES = {EUROPEAN_UNION_CODE: "European Union"}


def iso3_problem(code: str, kind: str) -> str | None:
    """Why `code` cannot identify a participant of this kind, or None when it can."""
    if len(code) != 3 or not code.isascii() or not code.isalpha() or not code.isupper():
        return "must be three capital letters (ISO 3166-1 alpha-3)"
    if kind == "reio":
        if code not in ORGANIZATION_CODES:
            known = ", ".join(sorted(ORGANIZATION_CODES))
            return f"is not a known code for a regional economic integration organization ({known})"
        return None
    if code in ORGANIZATION_CODES:
        return "is reserved for a regional economic integration organization"
    if pycountry.countries.get(alpha_3=code) is None:
        return "is not an ISO 3166-1 alpha-3 country code"
    return None
