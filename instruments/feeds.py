"""The Atom feed of the latest treaty actions, for delegations that follow changes."""

from dataclasses import dataclass
from datetime import datetime, time

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.feeds import BrowsableFeed
from core.links import absolute_url
from instruments import records
from instruments.citations import citation
from instruments.models import TreatyAction
from instruments.templatetags.treaty import day, kind_label

FEED_LENGTH = 50


@dataclass(frozen=True)
class FeedFilters:
    instrument_codes: list[str] | None
    participant_codes: list[str] | None

    def words(self) -> str:
        parts = []
        if self.instrument_codes:
            parts.append("instrument " + ", ".join(self.instrument_codes))
        if self.participant_codes:
            parts.append("participant " + ", ".join(self.participant_codes))
        return "; ".join(parts)


class ActionFeed(BrowsableFeed):
    def get_object(
        self,
        request: HttpRequest,
        instrument_codes: list[str] | None = None,
        participant_codes: list[str] | None = None,
    ) -> FeedFilters:
        self.request = request
        return FeedFilters(instrument_codes, participant_codes)

    def title(self, filters: FeedFilters) -> str:
        title = _("UNTOC Tracker: latest treaty actions")
        words = filters.words()
        return _("%(title)s (%(filters)s)") % {"title": title, "filters": words} if words else title

    def subtitle(self, filters: FeedFilters) -> str:
        return _(
            "Signatures, ratifications, acceptances, approvals, accessions, successions and "
            "denunciations of the UN Convention against Transnational Organized Crime and its "
            "Protocols, newest first. Complete to the dates each instrument's page gives; "
            "later actions partial."
        )

    # Absolute already, so the syndication framework does not prefix the request's host.
    def link(self, filters: FeedFilters) -> str:
        return absolute_url(reverse("status"))

    def feed_url(self, filters: FeedFilters) -> str:
        return absolute_url(self.request.get_full_path())

    def items(self, filters: FeedFilters) -> list[TreatyAction]:
        return records.action_list_latest(
            limit=FEED_LENGTH,
            instrument_codes=filters.instrument_codes,
            participant_codes=filters.participant_codes,
        )

    def item_title(self, action: TreatyAction) -> str:
        return _("%(participant)s: %(kind)s of the %(title)s, %(date)s") % {
            "participant": action.participant.local_name,
            "kind": kind_label(action.kind),
            "title": action.instrument.local_short_title,
            "date": day(action.date),
        }

    def item_description(self, action: TreatyAction) -> str:
        parts = [
            _("%(kind)s, %(date)s.") % {"kind": kind_label(action.kind), "date": day(action.date)}
        ]
        if action.effective_date:
            parts.append(_("Bound from %(date)s.") % {"date": day(action.effective_date)})
        if action.depositary_notification:
            parts.append(
                _("Depositary notification %(reference)s.")
                % {"reference": action.depositary_notification}
            )
        parts.append(_("Source: %(source)s") % {"source": citation(action.source)})
        return " ".join(parts)

    def item_link(self, action: TreatyAction) -> str:
        profile = reverse("participant-detail", args=[action.participant.iso3])
        return absolute_url(f"{profile}#action-{action.pk}")

    def item_guid(self, action: TreatyAction) -> str:
        return f"untoc-tracker:action:{action.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, action: TreatyAction) -> datetime:
        return datetime.combine(action.date, time(), tzinfo=timezone.get_current_timezone())

    def item_updateddate(self, action: TreatyAction) -> datetime:
        return action.updated_at

    def item_categories(self, action: TreatyAction) -> list[str]:
        return [action.instrument.code, action.participant.iso3]
