"""The OSCE's six languages: which one a request speaks, its URLs, and the switch between them.

1. A public page speaks the language of its URL prefix (`/fr/states/DEU/`); without a prefix it
   speaks English, so every URL of the English site keeps working as before.
2. The API has no prefix: `?lang=ru` wins, then the client's Accept-Language, then English
   (a `lang` the site does not speak is refused by the API, core.rest.views).
3. The back office speaks the language last chosen on the public site (the language cookie).
4. The choice is remembered: the switch's links go through `language_choose`, which sets
   Django's language cookie and redirects to the page in that language; a later visit to an
   unprefixed page with a non-English cookie is redirected to its prefixed URL.

`SiteLocaleMiddleware` does this before the response cache (core/cache.py), which keys every
answer on the path (with its prefix) and the active language: one language's answer is never
served to another, and the redirect of step 4 is decided before the cache is asked, so the
English answer kept for an unprefixed URL stays the same for every visitor.

Django's active code for English is LANGUAGE_CODE (`en-gb`: its date and number formats, as
the site always had); the site names it `en` (LANGUAGES, hreflang, Content-Language, `?lang`).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_safe

ENGLISH = "en"
# Paths outside i18n_patterns: never prefixed, never redirected to a language.
UNPREFIXED = ("/api/", "/admin/", "/healthz", "/language/")


def codes() -> list[str]:
    """The site's languages, English first."""
    return [code for code, _name in settings.LANGUAGES]


def public_code(code: str | None = None) -> str:
    """The site's name of a language code (the active one by default): `en-gb` is `en`."""
    return _site_name(code or translation.get_language() or settings.LANGUAGE_CODE)


@lru_cache(maxsize=64)
def _site_name(code: str) -> str:
    # Asked for each citation and name on a page (hundreds of times in a status list):
    # kept per code, forgotten when the languages change (below).
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return ENGLISH


@receiver(setting_changed)
def _languages_changed(*, setting: str, **kwargs: object) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE"):
        _site_name.cache_clear()


def activation_code(code: str) -> str:
    """The code to activate for a site language: English is LANGUAGE_CODE (its formats)."""
    return settings.LANGUAGE_CODE if code == ENGLISH else code


def recipient_code(code: str | None) -> str:
    """A recorded language (a subscriber's, a focal point's) as a site language: English
    when it is empty or one the site no longer speaks."""
    return code if code in codes() else ENGLISH


@contextmanager
def speaking(code: str | None) -> Iterator[None]:
    """Write in a recipient's language: its messages, its dates, and its links (`reverse`
    gives that language's URL prefix, none for English)."""
    with translation.override(activation_code(recipient_code(code))):
        yield


def path_language(path: str) -> str | None:
    """The site language a path's prefix names (`/fr/status/` -> "fr"), or None."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in codes() else None


def bare_path(path: str) -> str:
    """The path without its language prefix: `/fr/status/` -> `/status/`."""
    language = path_language(path)
    if language is None:
        return path
    return path[len(language) + 1 :] or "/"


def translated_path(path: str, code: str) -> str:
    """The same page in another language: its path with that language's prefix."""
    bare = bare_path(path)
    return bare if code == ENGLISH else f"/{code}{bare}"


def translatable(path: str) -> bool:
    """Whether a path is a public page, one that exists in every language."""
    bare = bare_path(path)
    static = settings.STATIC_URL and bare.startswith("/" + settings.STATIC_URL.lstrip("/"))
    return not static and not bare.startswith(UNPREFIXED)


def cookie_language(request: HttpRequest) -> str | None:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in codes() else None


def accepted_language(request: HttpRequest) -> str | None:
    """The site language the client's Accept-Language prefers, or None."""
    for accepted, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if accepted == "*":
            continue
        try:
            return translation.get_supported_language_variant(accepted)
        except LookupError:
            continue
    return None


def api_language(request: HttpRequest) -> str:
    """The language of an API answer: `?lang` (when the site speaks it), Accept-Language,
    English. An unknown `lang` is refused by the API's views, not here."""
    asked = request.GET.get("lang")
    if asked is not None:
        return asked if asked in codes() else ENGLISH
    return accepted_language(request) or ENGLISH


def _query(request: HttpRequest) -> str:
    query = request.META.get("QUERY_STRING", "")
    return f"?{query}" if query else ""


class SiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, choosing the language as the module docstring says (Django's
    own would give every unprefixed URL, the API's too, the default language)."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:  # type: ignore[override]
        path = request.path_info
        language = path_language(path)
        if language == ENGLISH:
            # English has no prefix: /en/status/ is /status/.
            return HttpResponseRedirect(bare_path(path) + _query(request))
        if language is None:
            language, redirect = self._unprefixed(request, path)
            if redirect is not None:
                return redirect
        translation.activate(activation_code(language))
        request.LANGUAGE_CODE = language
        return None

    def _unprefixed(self, request: HttpRequest, path: str) -> tuple[str, HttpResponse | None]:
        if path.startswith("/api/"):
            return api_language(request), None
        if path.startswith("/admin/"):
            return cookie_language(request) or ENGLISH, None
        remembered = cookie_language(request)
        if (
            remembered not in (None, ENGLISH)
            and request.method in ("GET", "HEAD")
            and translatable(path)
        ):
            redirect = HttpResponseRedirect(translated_path(path, remembered) + _query(request))
            # The redirect depends on the cookie: no shared cache may keep it.
            patch_vary_headers(redirect, ["Cookie"])
            patch_cache_control(redirect, private=True)
            return ENGLISH, redirect
        return ENGLISH, None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:  # type: ignore[override]
        language = getattr(request, "LANGUAGE_CODE", None) or public_code()
        path = request.path_info
        if path.startswith("/api/"):
            patch_vary_headers(response, ["Accept-Language"])
        elif path_language(path) is None and translatable(path):
            # An unprefixed page redirects a visitor who chose another language (the cookie).
            patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


@require_safe
def language_choose(request: HttpRequest, code: str) -> HttpResponse:
    """GET /language/<code>/?next=<path>: remember the language (Django's language cookie)
    and show `next` in it. A `next` off this site is replaced by the home page."""
    if code not in codes():
        raise Http404(f"The tracker does not speak {code!r}.")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/"):
        target = "/"
    path, _, query = target.partition("?")
    if not translatable(path):
        path = "/"
    response = HttpResponseRedirect(translated_path(path, code) + (f"?{query}" if query else ""))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax"
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def switch_href(code: str, full_path: str) -> str:
    """The switch's link to a language for the page at `full_path` (path and query)."""
    return f"{reverse('language-choose', args=[code])}?next={quote(bare_path(full_path), safe='')}"
