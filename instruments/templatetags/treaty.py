"""How a status reads on a page: always in words, colour only as a second cue."""

from datetime import date

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from core.i18n import long_date, lower_initial
from instruments import domain
from instruments.citations import citation_html
from instruments.filters import order_words
from instruments.models import TreatyAction

register = template.Library()

KIND_LABELS = dict(TreatyAction.Kind.choices)
KIND_LABELS[domain.CONSENT_KIND_NOT_RECORDED] = gettext_lazy("Consent (kind not recorded)")

STATUS_WORDS = {
    domain.NONE: gettext_lazy("No action on record"),
    # Translators: a treaty status: the participant has signed the treaty.
    domain.SIGNATORY: pgettext_lazy("treaty status", "Signatory"),
    # Translators: a treaty status: a State party to the treaty (UN terminology).
    domain.PARTY: pgettext_lazy("treaty status", "Party"),
    domain.DENOUNCED: pgettext_lazy("treaty status", "Denounced"),
}


def _day(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


@register.filter
def day(value: date | None) -> str:
    """12 Dec 2000 as the depositary writes dates in English; the language's short date in
    the others (14.07.2006)."""
    return _day(value)


@register.filter
def long_day(value: date | None) -> str:
    """30 June 2007, for headings and citations ("30 juin 2007" in French)."""
    return long_date(value) if value else ""


@register.filter
def kind_label(kind: str | None) -> str:
    """Ratification, Accession (a), ... or "Consent (kind not recorded)"."""
    return str(KIND_LABELS.get(kind or domain.CONSENT_KIND_NOT_RECORDED, kind or ""))


@register.filter
def status_word(status: domain.ParticipantStatus) -> str:
    # Consented but not yet bound is a contracting State, not yet a party (VCLT art. 2(1)(f),
    # (g)); the status code stays "party" (consent in effect) for the API's filters.
    if status.status == domain.PARTY and not status.in_force:
        return _("Contracting State, not yet in force")
    if status.status == domain.PARTY:
        return _("Party, in force")
    return str(STATUS_WORDS[status.status])


@register.filter
def status_class(status: domain.ParticipantStatus) -> str:
    if status.status == domain.PARTY:
        return "st-party" if status.in_force else "st-party-pending"
    return f"st-{status.status}"


def entry_into_force_words(status: domain.ParticipantStatus) -> str:
    if status.entry_into_force is None:
        return _("entry into force: date not recorded")
    if status.in_force:
        return _("in force since %(date)s") % {"date": _day(status.entry_into_force)}
    return _("in force from %(date)s") % {"date": _day(status.entry_into_force)}


def status_details(status: domain.ParticipantStatus) -> list[str]:
    """The dates behind a status, one short line each."""
    lines = []
    if status.status == domain.NONE:
        return lines
    if status.signature_date:
        lines.append(_("signed %(date)s") % {"date": _day(status.signature_date)})
    if status.consent_date:
        kind = kind_label(status.consent_kind)
        # Translators: a kind of consent to be bound (e.g. "ratification") and its date.
        words = _("%(kind)s %(date)s") % {
            "kind": lower_initial(kind),
            "date": _day(status.consent_date),
        }
        lines.append(words)
        if status.status == domain.PARTY:
            lines.append(entry_into_force_words(status))
    if status.denunciation_date:
        lines.append(_("denounced %(date)s") % {"date": _day(status.denunciation_date)})
    if status.denunciation_effective:
        when = {"date": _day(status.denunciation_effective)}
        lines.append(_("denunciation effective %(date)s") % when)
    return lines


@register.filter
def verdict(status: domain.ParticipantStatus) -> str:
    """The status in one line, with the date a reader asks for first:
    "signatory since 3 Sep 2002, not a party"; "party, in force since 14 Jul 2006"."""
    if status.status == domain.SIGNATORY:
        return _("signatory since %(date)s, not a party") % {"date": _day(status.signature_date)}
    if status.status == domain.PARTY and status.in_force:
        if status.entry_into_force is None:
            return _("party since %(date)s (entry into force not recorded)") % {
                "date": _day(status.consent_date)
            }
        return _("party, in force since %(date)s") % {"date": _day(status.entry_into_force)}
    if status.status == domain.PARTY:
        dates = {"date": _day(status.consent_date), "in_force": _day(status.entry_into_force)}
        if status.entry_into_force:
            return (
                _("contracting State since %(date)s, not yet in force (in force from %(in_force)s)")
                % dates
            )
        return _("contracting State since %(date)s, not yet in force") % dates
    if status.status == domain.DENOUNCED:
        effective = status.denunciation_effective or status.denunciation_date
        return _("denounced, no longer a party since %(date)s") % {"date": _day(effective)}
    return _("no action on record, not a party")


def compact_words(status: domain.ParticipantStatus) -> tuple[str, str]:
    """A cell on one line: the status and the one date a reader asks for first."""
    if status.status == domain.PARTY and status.in_force:
        return pgettext("treaty status", "Party"), _day(
            status.entry_into_force or status.consent_date
        )
    if status.status == domain.PARTY:
        return _("Contracting State"), _day(status.consent_date)
    if status.status == domain.SIGNATORY:
        return pgettext("treaty status", "Signatory"), _day(status.signature_date)
    if status.status == domain.DENOUNCED:
        return pgettext("treaty status", "Denounced"), _day(
            status.denunciation_effective or status.denunciation_date
        )
    return _("No action on record"), ""


@register.simple_tag
def compact_cell(status: domain.ParticipantStatus) -> SafeString:
    word, when = compact_words(status)
    return format_html(
        '<span class="st-word">{}</span> <span class="st-date">{}</span>', word, when
    )


@register.simple_tag
def status_cell(status: domain.ParticipantStatus) -> SafeString:
    """A matrix cell: the status in words, then its dates."""
    return format_html(
        '<span class="st-word">{}</span>{}',
        status_word(status),
        format_html_join(
            "", '<span class="st-detail">{}</span>', ((d,) for d in status_details(status))
        ),
    )


@register.filter
def consent_with_mark(status: domain.ParticipantStatus) -> str:
    """The depositary's column: "23 Sep 2004", "2 Mar 2004 a", or "... (kind not recorded)"."""
    if status.consent_date is None:
        return ""
    text = _day(status.consent_date)
    if not status.consent_kind_recorded:
        return _("%(date)s (kind not recorded)") % {"date": text}
    return f"{text} {status.consent_mark}".strip()


@register.filter(name="citation")
def citation_filter(source: str) -> SafeString:
    """A recorded source as a reader cites it (instruments.citations), a part kept as
    recorded (English) marked as such on a page in another language."""
    return citation_html(source or "")


@register.inclusion_tag("includes/currency.html")
def currency_line(instruments) -> dict:
    """ "complete to DATE; later actions partial", one date per group of instruments."""
    groups: dict[date, list[str]] = {}
    for instrument in instruments:
        groups.setdefault(instrument.status_complete_to, []).append(instrument.local_short_title)
    return {"groups": sorted(groups.items())}


@register.filter
def join_words(words: list[str]) -> str:
    """a, b and c."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    # Translators: the end of a list: "a, b and c".
    return _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key)


@register.filter(name="lower_initial")
def lower_initial_filter(text: str) -> str:
    """A label inside a sentence: "party, in force"; German nouns keep their capital."""
    return lower_initial(str(text))


@register.filter
def ordering_words(ordering: str) -> str:
    """What a list is sorted by, inside a sentence: "name, A to Z" ("Name, A bis Z")."""
    return order_words(ordering)
