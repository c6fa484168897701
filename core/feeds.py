"""The site's Atom feeds, readable in a browser as well as in a feed reader.

Every feed names static/feeds/atom.xsl in an xml-stylesheet instruction; a feed reader
ignores it. Asked by a browser (Accept names text/html and not Atom), the server applies
that stylesheet itself (lxml) and answers the page as HTML: browsers are dropping XSLT
(Chromium already marks such pages with a deprecation banner whose inline styles the site's
Content-Security-Policy blocks), and a page made here works in every browser. Feed readers
still get application/atom+xml, and anyone can still fetch the feed with the instruction.
"""

from functools import cache
from typing import Any

from django.contrib.staticfiles import finders
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Stylesheet
from django.utils.xmlutils import SimplerXMLGenerator
from lxml import etree

from core.languages import public_code

FEED_STYLESHEET = "feeds/atom.xsl"
ATOM = "application/atom+xml"
HTML_FOR_BROWSERS = "text/html; charset=utf-8"


class StyledAtom1Feed(Atom1Feed):
    """Atom1Feed with its stylesheets written out: Django 5.2 writes the xml-stylesheet
    instructions of RSS feeds only. The rest is Atom1Feed.write as it is."""

    def root_attributes(self) -> dict[str, str]:
        # The feed's language as the site names it ("en", not Django's "en-gb"): the page
        # made from the feed takes its `lang` from it.
        attributes = super().root_attributes()
        attributes["xml:lang"] = public_code(self.feed["language"])
        return attributes

    def write(self, outfile: Any, encoding: str) -> None:
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        # Before the first element (https://www.w3.org/Style/styling-XML.en.html).
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", str(stylesheet))
        handler.startElement("feed", self.root_attributes())  # type: ignore[arg-type]  # as Atom1Feed.write
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


@cache
def stylesheet() -> etree.XSLT:
    """The feed stylesheet, compiled once per process (from the static files' source)."""
    return etree.XSLT(etree.parse(finders.find(FEED_STYLESHEET)))


def feed_page(feed: bytes) -> bytes:
    """The feed as the page its stylesheet makes of it (UTF-8 HTML)."""
    return bytes(stylesheet()(etree.fromstring(feed).getroottree()))


# What a feed may be asked as; the first is what a client that names none of them gets.
FEED_TYPES = [ATOM, "application/xml", "text/xml", "application/rss+xml", "text/html"]


def asked_by_browser(request: HttpRequest) -> bool:
    """Whether the client prefers HTML to every XML type a feed reader asks for (Accept's
    q-values weighed by Django's own negotiation)."""
    return request.get_preferred_type(FEED_TYPES) == "text/html"


class BrowsableFeed(Feed):
    """An Atom feed with the site's stylesheet, sent as that stylesheet's page to a browser."""

    feed_type = StyledAtom1Feed

    def stylesheets(self) -> list[Stylesheet]:
        return [Stylesheet(static(FEED_STYLESHEET), mimetype="text/xsl")]

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        if asked_by_browser(request) and response.status_code == 200:
            response.content = feed_page(response.content)
            response["Content-Type"] = HTML_FOR_BROWSERS
        patch_vary_headers(response, ["Accept"])
        return response
