"""Every route the project serves, for each kind of person: the documented expectation.

The test walks Django's URL resolver, so a route added anywhere (a page, an API resource, a
back-office model) fails it until this file says who may use it. Each route is asked for by
six people:

- anonymous: the public, not signed in;
- viewer: a delegation viewer (staff; may look at the back office, change nothing);
- editor: an SPMU editor (staff; enters treaty data, submissions, grace periods);
- admin: an administrator (superuser);
- focal_aut, focal_deu: the focal points of Austria and Germany, signed in with their second
  factor (not staff).

For each route `ROUTES` (or, for back-office models, `ADMIN_MODELS`) says who gets *through*
a read (GET) and who gets through a write (POST on lists and forms; PUT, PATCH and DELETE on
API records). Getting through means the view answered the request itself (200, a redirect, or
for a write its own refusal of the empty body: a form error, 400, 428 without If-Match); being
refused means 401 (API, not signed in), 403, 405, or the back office sending the visitor to its
login. The probes send no valid data, so nothing is written.

The expectation, in words:
- The public pages, the API's reads of treaty data, the schema, the docs and /healthz: everyone.
- The API's writes (actions, declarations, submissions): SPMU editors and administrators.
- The API's history of changes: staff only. The change log (/changes/, changes/): everyone.
- The API's token list and revocation: each signed-in user, for their own tokens only (another
  user's token is not found).
- Webhooks: any signed-in client registers and manages its own; staff read every one.
- The back office: staff only; each model as its permissions say (viewers look, editors change
  what SPMU maintains, only administrators manage users, groups, tokens and the login lock).
- Focal points: each sees its own State's pages, drafts and attachments; another State's
  draft or attachment is not found (404), never forbidden. SPMU editors review submitted ones
  in the back office and download their attachments; delegation viewers see none of it.
- Every HTML answer carries the security headers; no API answer is HTML.

Adding a route: one line in `ROUTES` (or `ADMIN_MODELS` for a back-office model). Routes
under /api/v1/ are written `api:<router name>`.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from django.utils.regex_helper import normalize

from alerts.models import Delivery, Subscription, WebhookEndpoint
from core.models import ApiToken, Event
from focal import services as focal_services
from focal.files import CheckedFile
from focal.invitations import token_hash
from focal.models import FocalSubmission, Invitation
from reports import services as report_services
from reports import sweep
from reports.authority_services import designation_record
from reports.coverage import coverage_set
from reports.models import Obligation
from states.models import Participant
from states.roles import SPMU_EDITORS
from tests.focal.conftest import Enrolled, draft, enrol, pdf_bytes, signed_in

ROLES = ("anonymous", "viewer", "editor", "admin", "focal_aut", "focal_deu")
EVERYONE = frozenset(ROLES)
STAFF = frozenset({"viewer", "editor", "admin"})
EDITORS = frozenset({"editor", "admin"})
ADMIN = frozenset({"admin"})
NOBODY: frozenset[str] = frozenset()
OWNER = frozenset({"editor"})  # the owner of the sample webhook endpoint
FOCAL = frozenset({"focal_aut", "focal_deu"})
AUSTRIA = frozenset({"focal_aut"})  # the sample submission is Austria's draft
SIGNED_IN = STAFF | FOCAL


@dataclass(frozen=True)
class Access:
    read: frozenset[str]
    write: frozenset[str] | None = NOBODY  # None: the route has no write to probe
    # What a read that gets through answers, when it is not 200 or a redirect.
    answers: int | None = None
    query: str = ""  # added to the probed URL
    methods: tuple[str, ...] = ()  # the writes to probe, when not the usual ones
    # Whether a record that is not the visitor's is answered as not found (404), which then
    # counts as a refusal.
    own_records_only: bool = False


PUBLIC_READ = Access(read=EVERYONE)
EDITORS_WRITE = Access(read=EVERYONE, write=EDITORS)

ROUTES: dict[str, Access] = {
    # The public pages.
    "home": PUBLIC_READ,
    "status": PUBLIC_READ,
    "status-table": PUBLIC_READ,
    "instrument-table": PUBLIC_READ,
    "participant-detail": PUBLIC_READ,
    "instrument-detail": PUBLIC_READ,
    "search": PUBLIC_READ,
    "feed-actions": PUBLIC_READ,
    "compliance": PUBLIC_READ,
    "osce-status-report": PUBLIC_READ,
    "data-quality": PUBLIC_READ,
    # The directory of competent authorities: read by all (contact details only by staff and
    # focal points, see tests/reports/test_authority_pages.py).
    "authority-list": PUBLIC_READ,
    "changes": PUBLIC_READ,
    "feed-changes": PUBLIC_READ,
    # E-mail alerts: anyone subscribes; a link's token (here not a genuine one) confirms or
    # ends a subscription, or changes the language of its e-mails.
    "subscribe": Access(read=EVERYONE, write=EVERYONE),
    "subscription-confirm": Access(read=EVERYONE, write=EVERYONE, answers=400),
    "unsubscribe": Access(read=EVERYONE, write=EVERYONE, answers=400),
    "subscription-language": Access(read=EVERYONE, write=EVERYONE, answers=400),
    "instrument-index": PUBLIC_READ,
    "participant-index": PUBLIC_READ,
    "world-map": PUBLIC_READ,
    "healthz": PUBLIC_READ,
    # The language switch: anyone; it remembers the choice and redirects to the page.
    "language-choose": PUBLIC_READ,
    # The API: reads are public, writes need an editor's permissions.
    "api:api-root": PUBLIC_READ,
    "api:state-list": PUBLIC_READ,
    "api:state-detail": PUBLIC_READ,
    "api:instrument-list": PUBLIC_READ,
    "api:instrument-detail": PUBLIC_READ,
    "api:status-list": PUBLIC_READ,
    "api:action-list": EDITORS_WRITE,
    "api:action-detail": EDITORS_WRITE,
    "api:declaration-list": EDITORS_WRITE,
    "api:declaration-detail": EDITORS_WRITE,
    "api:history-list": Access(read=STAFF),
    "api:obligation-list": PUBLIC_READ,
    "api:obligation-detail": PUBLIC_READ,
    "api:submission-list": EDITORS_WRITE,
    "api:submission-detail": EDITORS_WRITE,
    "api:flag-list": PUBLIC_READ,
    "api:flag-detail": PUBLIC_READ,
    "api:standing-list": PUBLIC_READ,
    "api:data-quality-list": PUBLIC_READ,
    "api:authority-list": PUBLIC_READ,
    "api:authority-detail": PUBLIC_READ,
    "api:change-list": PUBLIC_READ,
    # Webhooks: any signed-in client registers its own; staff read every one; only the
    # owner (here the editor) changes, pings, enables one or redelivers from its log.
    # A focal point (signed in, not staff) is such a client too, and finds no other's endpoint.
    "api:webhook-list": Access(read=SIGNED_IN, write=SIGNED_IN),
    "api:webhook-detail": Access(read=STAFF, write=OWNER, own_records_only=True),
    "api:webhook-deliveries": Access(read=STAFF, write=NOBODY, own_records_only=True),
    "api:webhook-ping": Access(read=NOBODY, write=OWNER, own_records_only=True),
    "api:webhook-enable": Access(read=NOBODY, write=OWNER, own_records_only=True),
    "api:webhook-redeliver": Access(read=NOBODY, write=OWNER, own_records_only=True),
    # The token login only takes a POST, from anyone.
    "api:auth-token": Access(read=NOBODY, write=EVERYONE),
    # Each signed-in user lists and revokes their own tokens; the probed token is the
    # administrator's, so only the administrator revokes it and the others do not find it.
    "api:auth-token-list": Access(read=SIGNED_IN, write=None),
    "api:auth-token-detail": Access(
        read=NOBODY, write=ADMIN, methods=("delete",), own_records_only=True
    ),
    "schema": PUBLIC_READ,
    "api-docs": PUBLIC_READ,
    # The back office outside its models.
    "admin:index": Access(read=STAFF, write=None),
    "admin:login": Access(read=EVERYONE, write=EVERYONE),
    "admin:logout": Access(read=NOBODY, write=STAFF),
    "admin:password_change": Access(read=STAFF, write=STAFF),
    "admin:password_change_done": Access(read=STAFF, write=None),
    "admin:autocomplete": Access(
        read=STAFF,
        write=None,
        query="?app_label=instruments&model_name=treatyaction&field_name=participant&term=aus",
    ),
    "admin:jsi18n": Access(read=STAFF, write=None),
    "admin:app_list": Access(read=STAFF, write=None),
    # No participant has a page of its own in the back office: through, then 404.
    "admin:view_on_site": Access(read=STAFF, write=None, answers=404),
    "admin:catch_all": Access(read=STAFF, write=None, answers=404),
    "admin:auth_user_password_change": Access(read=ADMIN, write=ADMIN),
    "admin:reports_complianceflag_run_check": Access(read=NOBODY, write=EDITORS),
    "admin:instruments_depositarybatch_decide": Access(read=NOBODY, write=EDITORS),
    "admin:focal_focalsubmission_decide": Access(read=NOBODY, write=EDITORS),
    # Focal points. Signing in, out, and the invitation (here a genuine link) are for anyone;
    # the pages behind the second factor for focal points only. The sample submission is
    # Austria's draft: Germany's focal point, like staff, does not find it nor its attachment.
    "focal-login": Access(read=EVERYONE, write=EVERYONE),
    "focal-login-verify": Access(read=EVERYONE, write=EVERYONE),
    "focal-logout": Access(read=NOBODY, write=EVERYONE),
    "focal-invitation": Access(read=EVERYONE, write=EVERYONE),
    "focal-invitation-renew": Access(read=EVERYONE, write=EVERYONE),
    "focal-home": Access(read=FOCAL, write=None),
    "focal-language": Access(read=NOBODY, write=FOCAL),
    "focal-submission-new": Access(read=FOCAL, write=FOCAL),
    "focal-submission": Access(read=AUSTRIA, write=AUSTRIA, own_records_only=True),
    "focal-submission-submit": Access(read=NOBODY, write=AUSTRIA, own_records_only=True),
    "focal-attachment": Access(read=AUSTRIA, write=None, own_records_only=True),
    "focal-attachment-remove": Access(read=NOBODY, write=AUSTRIA, own_records_only=True),
}


@dataclass(frozen=True)
class ModelAccess:
    """Who may look at, add, change and delete a back-office model's records."""

    view: frozenset[str]
    add: frozenset[str]
    change: frozenset[str]
    delete: frozenset[str]


ADMINISTRATION = ModelAccess(view=ADMIN, add=ADMIN, change=ADMIN, delete=ADMIN)
# The login lock's records: administrators look and lift a lock by deleting its attempt.
LOGIN_LOCK = ModelAccess(view=ADMIN, add=NOBODY, change=ADMIN, delete=ADMIN)
READ_ONLY = ModelAccess(view=STAFF, add=NOBODY, change=NOBODY, delete=NOBODY)

ADMIN_MODELS: dict[str, ModelAccess] = {
    "auth.user": ADMINISTRATION,
    "auth.group": ADMINISTRATION,
    # Administrators see every user's API tokens and revoke one by deleting it.
    "core.apitoken": ModelAccess(view=ADMIN, add=NOBODY, change=NOBODY, delete=ADMIN),
    "axes.accessattempt": LOGIN_LOCK,
    "axes.accesslog": LOGIN_LOCK,
    "axes.accessfailurelog": LOGIN_LOCK,
    "states.participant": ModelAccess(view=STAFF, add=EDITORS, change=EDITORS, delete=ADMIN),
    "instruments.instrument": ModelAccess(view=STAFF, add=NOBODY, change=EDITORS, delete=NOBODY),
    "instruments.treatyaction": ModelAccess(
        view=STAFF, add=EDITORS, change=EDITORS, delete=EDITORS
    ),
    "instruments.declaration": ModelAccess(view=STAFF, add=EDITORS, change=EDITORS, delete=EDITORS),
    # Editors load depositary tables and decide their proposals; the record stays.
    "instruments.depositarybatch": ModelAccess(
        view=STAFF, add=EDITORS, change=EDITORS, delete=NOBODY
    ),
    "instruments.depositarycheckpoint": ModelAccess(
        view=STAFF, add=EDITORS, change=EDITORS, delete=EDITORS
    ),
    "instruments.openquestion": ModelAccess(
        view=STAFF, add=EDITORS, change=EDITORS, delete=EDITORS
    ),
    "reports.obligation": ModelAccess(view=STAFF, add=NOBODY, change=EDITORS, delete=NOBODY),
    "reports.copsession": READ_ONLY,
    "reports.submission": ModelAccess(view=STAFF, add=EDITORS, change=EDITORS, delete=EDITORS),
    "reports.complianceflag": READ_ONLY,
    "reports.authoritydesignation": ModelAccess(
        view=STAFF, add=EDITORS, change=EDITORS, delete=EDITORS
    ),
    "reports.evidencecoverage": ModelAccess(
        view=STAFF, add=EDITORS, change=EDITORS, delete=EDITORS
    ),
    # The alerts: staff look (addresses masked, no secrets); the services write them. Only
    # administrators end a subscription on its owner's request.
    "alerts.subscription": ModelAccess(view=STAFF, add=NOBODY, change=NOBODY, delete=ADMIN),
    "alerts.webhookendpoint": READ_ONLY,
    "alerts.delivery": READ_ONLY,
    # Focal points: editors invite them and switch them off; they review submissions on the
    # submission's page (the decide route). Delegation viewers see none of it.
    "focal.invitation": ModelAccess(view=EDITORS, add=EDITORS, change=NOBODY, delete=NOBODY),
    "focal.focalpoint": ModelAccess(view=EDITORS, add=NOBODY, change=EDITORS, delete=NOBODY),
    "focal.focalsubmission": ModelAccess(view=EDITORS, add=NOBODY, change=NOBODY, delete=NOBODY),
}


def admin_model_access(model: str, kind: str) -> Access | None:
    access = ADMIN_MODELS.get(model)
    if access is None:
        return None
    return {
        "changelist": Access(read=access.view, write=None),
        "add": Access(read=access.add, write=access.add),
        "change": Access(read=access.view, write=access.change),
        "delete": Access(read=access.delete, write=None),
        "history": Access(read=access.view, write=None),
        "simple_history": Access(read=access.view, write=None),
        # admin/<app>/<model>/<id>/ only forwards staff to the change page, which decides.
        "forward": Access(read=STAFF, write=None),
    }.get(kind)


# --- the routes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str
    route: str  # as Django's resolver names it (ResolverMatch.route)
    regex: str
    pattern: URLPattern

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/v1/")

    @property
    def admin_model(self) -> tuple[str, str] | None:
        """(app_label.model_name, kind) for a back-office model's route."""
        parts = self.route.split("/")
        if not self.route.startswith("admin/") or len(parts) < 4:
            return None
        model = f"{parts[1]}.{parts[2]}"
        if model not in {m._meta.label_lower for m in admin.site._registry}:
            return None
        name = self.key.removeprefix("admin:")
        prefix = model.replace(".", "_") + "_"
        return model, name.removeprefix(prefix)


def walk(resolver: URLResolver, regex: str = "", route: str = "", namespace: str = "") -> Iterator:
    for entry in resolver.url_patterns:
        own = entry.pattern.regex.pattern.removeprefix("^")
        # Joined as Django joins them for ResolverMatch.route.
        joined = route + str(entry.pattern).removeprefix("^") if route else str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from walk(entry, regex + own, joined, inner)
        else:
            yield namespace, entry.name, regex + own, joined, entry


def served_routes() -> list[Route]:
    routes = []
    for namespace, name, regex, route, pattern in walk(get_resolver()):
        if name is None:
            # The back office's unnamed routes: its catch-all, and admin/<app>/<model>/<id>/.
            if route.endswith("(?P<url>.*)$"):
                name = "catch_all"
            else:
                app, model = route.split("/")[1:3]
                name = f"{app}_{model}_forward"
        prefix = "api:" if route.startswith("api/v1/") else ""
        routes.append(Route(f"{prefix}{namespace}{name}", route, regex, pattern))
    return routes


def expectation(route: Route) -> Access | None:
    found = route.admin_model
    if found and route.key not in ROUTES:
        return admin_model_access(*found)
    return ROUTES.get(route.key)


# --- the people and the records to ask about --------------------------------------------------


@pytest.fixture
def cast(real_data, editor, viewer) -> dict[str, Any]:
    administrator = get_user_model().objects.create_superuser(
        "administrator", password="a-long-test-password"
    )
    # The administrator's token is the one the probes of a token's route name.
    ApiToken.objects.create(user=administrator, name="administrator's script")
    ApiToken.objects.create(user=editor, name="editor's script")
    austria = Participant.objects.get(iso3="AUT")
    report_services.submission_record(
        participant=austria,
        obligation=Obligation.objects.order_by("pk").first(),
        received_on=date(2005, 1, 10),
        reference="CTOC/COP/2005/TEST",
    )
    coverage_set(
        obligation=Obligation.objects.get(code="untoc-18-13"),
        participant=austria,
        source="depositary notifications",
        checked_as_of=date(2010, 1, 1),
    )
    sweep.compliance_sweep(as_of=date(2010, 1, 1), notify=False)
    designation_record(
        None,
        participant=austria,
        obligation=Obligation.objects.get(code="untoc-18-13"),
        authority_name="Federal Ministry of Justice",
        contact_person="not for the public",
        source="permission matrix",
    )
    # Two, each with a delivery: the editor's DELETE of the first leaves the second to probe
    # the routes after it with.
    for n in (1, 2):
        endpoint = WebhookEndpoint.objects.create(
            owner=editor, url=f"https://example.org/hook{n}", secret="s" * 64
        )
        Delivery.objects.create(endpoint=endpoint, event=Event.objects.order_by("pk").last())
    Subscription.objects.create(
        email="delegation@example.org", scope="participant", target="AUT", frequency="weekly"
    )
    # A login and then a failed one give the login lock's tables a record each (in this
    # order: a login clears the earlier failures).
    Client().post(
        "/admin/login/", {"username": "administrator", "password": "a-long-test-password"}
    )
    Client().post("/admin/login/", {"username": "administrator", "password": "wrong"})
    focal = focal_cast(editor)
    return {
        "anonymous": None,
        "viewer": viewer,
        "editor": editor,
        "admin": administrator,
        **focal,
    }


SAMPLE_INVITATION_TOKEN = "a-genuine-sample-invitation-token"


def focal_cast(editor) -> dict[str, Any]:
    """Austria's and Germany's focal points; Austria's submitted notification under art.
    18(13) (the back office's sample) and its draft under art. 18(14) (the focal pages'
    sample), each with an attachment; a genuine invitation link not yet used."""
    austria = enrol("AUT", "focal@austria.example", editor)
    germany = enrol("DEU", "focal@germany.example", editor)
    pdf = CheckedFile("note.pdf", "application/pdf", pdf_bytes())
    focal_services.submission_submit(submission=draft(austria, files=[pdf]), actor=austria.user)
    draft(austria, code="untoc-18-14", files=[pdf], languages="English, German")
    Invitation.objects.create(
        participant=Participant.objects.get(iso3="AUT"),
        email="next@austria.example",
        invited_by=editor,
        token_hash=token_hash(SAMPLE_INVITATION_TOKEN),
        expires_at=timezone.now() + timedelta(days=7),
    )
    return {"focal_aut": austria, "focal_deu": germany}


def first(model: Any) -> Any:
    return model._default_manager.order_by("pk").first()


def model_of(label: str) -> Any:
    return next(m for m in admin.site._registry if m._meta.label_lower == label)


def sample_arguments(route: Route) -> dict[str, str]:
    """Values for the route's parameters that name real records."""
    found = route.admin_model
    if found:
        model = model_of(found[0])
        record = first(model)
        if record is None:
            return {"object_id": "1"}
        values = {"object_id": str(record.pk), "id": str(record.pk)}
        history = getattr(record, "history", None)
        if history is not None:
            values |= {"_0": str(record.pk), "_1": str(history.order_by("pk").first().pk)}
        return values
    if route.key == "admin:view_on_site":
        participant = Participant.objects.get(iso3="AUT")
        content_type = ContentType.objects.get_for_model(Participant)
        return {"content_type_id": str(content_type.pk), "object_id": str(participant.pk)}
    if route.key == "admin:app_list":
        return {"app_label": "instruments"}
    if route.key == "admin:catch_all":
        return {"url": "no-such-page/"}
    if route.key.startswith("focal-"):
        sample = FocalSubmission.objects.get(obligation__code="untoc-18-14")
        return {
            "token": SAMPLE_INVITATION_TOKEN,
            "pk": str(sample.pk),
            "attachment_pk": str(sample.attachments.get().pk),
        }
    if route.key == "api:auth-token-detail":
        token = ApiToken.objects.get(user__is_superuser=True)
        return {"format": "json", "uid": str(token.uid)}
    if route.is_api:
        delivery = Delivery.objects.filter(endpoint=first(WebhookEndpoint)).first()
        values = {"format": "json", "delivery_id": str(delivery.pk if delivery else 1)}
        view = getattr(route.pattern.callback, "cls", None)
        queryset = getattr(view, "queryset", None)
        if queryset is not None:
            record = first(queryset.model)
            lookup = view.lookup_url_kwarg or view.lookup_field
            values[lookup] = str(getattr(record, view.lookup_field))
        return values
    # A language switch takes a language's code; every other page's code is an instrument's.
    code = "fr" if route.key == "language-choose" else "tip"
    return {"iso3": "AUT", "code": code, "token": "not-a-genuine-token", "fmt": "xlsx"}


def url_of(route: Route) -> str:
    template, parameters = normalize(route.regex)[0]
    values = sample_arguments(route)
    converters = getattr(route.pattern.pattern, "converters", {})
    missing = [p for p in parameters if p not in values]
    assert not missing, f"{route.key}: give sample values for {missing} in sample_arguments"
    filled = {
        p: converters[p].to_url(values[p]) if p in converters else values[p] for p in parameters
    }
    path = "/" + template % filled
    assert resolve(path.split("?")[0]).route == route.route, f"{path} is not {route.route}"
    return path


# --- asking ------------------------------------------------------------------------------------

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
REFUSED = {401, 403, 405}
WRITE_THROUGH = {200, 201, 202, 204, 302, 400, 409, 412, 428}


def refused(route: Route, role: str, response) -> bool:
    if response.status_code in REFUSED:
        return True
    access = ROUTES.get(route.key)
    if response.status_code == 404 and access is not None and access.own_records_only:
        return True
    if response.status_code in (301, 302):
        location = response["Location"]
        # The back office sends a visitor who is not signed in as staff to its login (or,
        # from its logout, to its index, which does the same).
        # A focal page sends whoever is not a focal point with its second factor to the focal
        # sign-in, saying where they were going.
        return (
            location.startswith("/admin/login/")
            or location.startswith("/focal/login/?next=")
            or (role in {"anonymous", *FOCAL} and route.route.startswith("admin/"))
        )
    return False


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT=BROWSER_ACCEPT)
    if isinstance(user, Enrolled):  # a focal point, signed in with its second factor
        return signed_in(user, client)
    if user is not None:
        client.force_login(user)
    return client


def writes(route: Route, url: str) -> list[str]:
    access = ROUTES.get(route.key)
    if access is not None and access.methods:
        return list(access.methods)
    if route.is_api and route.key.endswith("-detail"):
        return ["put", "patch", "delete"]
    return ["post"]


def check_security_headers(route: Route, url: str, response, problems: list[str]) -> None:
    content_type = response.get("Content-Type", "")
    if route.is_api:
        if content_type.startswith("text/html"):
            problems.append(f"{url}: the API answered with HTML (the browsable API is on)")
        return
    if not content_type.startswith("text/html"):
        return
    policy = response.get("Content-Security-Policy", "")
    for directive in ("script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        if directive not in policy:
            problems.append(f"{url}: Content-Security-Policy lacks {directive!r}: {policy!r}")
    if "unsafe-inline" in policy or "unsafe-eval" in policy:
        problems.append(f"{url}: Content-Security-Policy allows unsafe scripts: {policy!r}")
    for header, value in (
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ):
        if response.get(header) != value:
            problems.append(f"{url}: {header} is {response.get(header)!r}, not {value!r}")


# --- the tests ---------------------------------------------------------------------------------


def test_every_route_the_project_serves_has_a_documented_expectation():
    unknown = [f"{r.key} ({r.route})" for r in served_routes() if expectation(r) is None]
    assert unknown == [], "add these routes to ROUTES or ADMIN_MODELS: " + ", ".join(unknown)


def test_every_expectation_names_a_route_the_project_serves():
    served = {r.key for r in served_routes()}
    stale = set(ROUTES) - served
    assert stale == set(), f"no such routes any more: {sorted(stale)}"
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert set(ADMIN_MODELS) - registered == set()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_route_lets_through_exactly_whom_the_table_says(cast, role):
    user = cast[role]
    problems: list[str] = []
    if role.startswith("focal_"):
        assert not user.user.is_staff
    for route in served_routes():
        access = expectation(route)
        assert access is not None, f"{route.key} has no expectation"
        url = url_of(route) + access.query

        response = client_for(user).get(url)
        status = response.status_code
        if role in access.read:
            through = status == (access.answers or 200) or (
                status in (301, 302) and not refused(route, role, response)
            )
            if not through:
                problems.append(f"GET {url}: {role} should get through but got {status}")
        elif not refused(route, role, response):
            problems.append(f"GET {url}: {role} should be refused but got {status}")
        if route.is_api and role == "anonymous" and response.status_code == 403:
            problems.append(f"GET {url}: anonymous got 403 where the API answers 401")
        check_security_headers(route, url, response, problems)

        if access.write is None:
            continue
        for method in writes(route, url):
            client = client_for(user)
            if route.is_api:
                answer = getattr(client, method)(url, {}, content_type="application/json")
            else:
                answer = getattr(client, method)(url, {})
            status = answer.status_code
            if role in access.write:
                if refused(route, role, answer) or status not in WRITE_THROUGH:
                    problems.append(
                        f"{method.upper()} {url}: {role} should get through but got {status}"
                    )
            elif not refused(route, role, answer):
                problems.append(
                    f"{method.upper()} {url}: {role} should be refused but got {status}"
                )
            if route.is_api and role == "anonymous" and status == 403:
                problems.append(f"{method.upper()} {url}: anonymous got 403, not 401")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_matrix_covers_the_back_office_groups(cast):
    """The roles are the real groups, not stand-ins: the editor is in SPMU editors, the
    viewer holds only view permissions, the administrator is a superuser."""
    assert cast["editor"].groups.get().name == SPMU_EDITORS
    assert {p.split(".")[1].split("_")[0] for p in cast["viewer"].get_all_permissions()} == {"view"}
    assert cast["admin"].is_superuser
    assert Group.objects.filter(name=SPMU_EDITORS).exists()
