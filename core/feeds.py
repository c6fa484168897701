"""The site's Atom feeds, readable in a browser as well as in a feed reader.

Every feed names static/feeds/atom.xsl in an xml-stylesheet instruction; a feed reader
ignores it, a browser applies it and shows the feed as a page. Browsers only apply it to a
document they take for XML: asked by a browser (Accept names text/html and not Atom), the
feed is sent as application/xml; feed readers still get application/atom+xml.
"""

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Stylesheet
from django.utils.xmlutils import SimplerXMLGenerator

FEED_STYLESHEET = "feeds/atom.xsl"
ATOM = "application/atom+xml"
XML_FOR_BROWSERS = "application/xml; charset=utf-8"


class StyledAtom1Feed(Atom1Feed):
    """Atom1Feed with its stylesheets written out: Django 5.2 writes the xml-stylesheet
    instructions of RSS feeds only. The rest is Atom1Feed.write as it is."""

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


def asked_by_browser(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "").lower()
    return "text/html" in accept and ATOM not in accept


class BrowsableFeed(Feed):
    """An Atom feed with the site's stylesheet, sent as XML to a browser."""

    feed_type = StyledAtom1Feed

    def stylesheets(self) -> list[Stylesheet]:
        return [Stylesheet(static(FEED_STYLESHEET), mimetype="text/xsl")]

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        if asked_by_browser(request):
            response["Content-Type"] = XML_FOR_BROWSERS
        patch_vary_headers(response, ["Accept"])
        return response
