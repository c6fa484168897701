"""The Atom feeds open in a browser as a page: each names the site's XSLT stylesheet, a
browser gets the page the server makes with it (HTML), a feed reader the feed (Atom)."""

import re
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from lxml import etree

from core.feeds import FEED_STYLESHEET

pytestmark = pytest.mark.usefixtures("real_data")

FEEDS = ["/feeds/actions/?state=DEU", "/feeds/changes/"]
BROWSER_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
)
ATOM_NS = {"atom": "http://www.w3.org/2005/Atom"}


def stylesheet() -> etree.XSLT:
    path = finders.find(FEED_STYLESHEET)
    assert path, f"static/{FEED_STYLESHEET} is not among the static files"
    return etree.XSLT(etree.parse(path))


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_names_the_served_stylesheet_before_its_first_element(client, url):
    body = client.get(url).content.decode()
    instruction = re.search(r"<\?xml-stylesheet ([^?]*)\?>", body)
    assert instruction, body[:300]
    assert body.index("<?xml-stylesheet") < body.index("<feed")
    href = re.search(r'href="([^"]+)"', instruction.group(1)).group(1)
    assert href == static(FEED_STYLESHEET)  # same origin: the site's own static files
    assert 'type="text/xsl"' in instruction.group(1)
    assert finders.find(FEED_STYLESHEET)


@pytest.mark.parametrize("url", FEEDS)
def test_a_browser_gets_xml_and_a_feed_reader_atom(client, url):
    reader = client.get(url)
    assert reader["Content-Type"] == "application/atom+xml; charset=utf-8"
    browser = client.get(url, headers={"Accept": BROWSER_ACCEPT})
    assert browser["Content-Type"] == "text/html; charset=utf-8"
    # The page is the stylesheet applied to the very feed a reader gets.
    assert browser.content == bytes(stylesheet()(etree.fromstring(reader.content).getroottree()))
    assert browser.content.lstrip().lower().startswith(b"<!doctype html")
    # A reader that also takes HTML but names Atom gets Atom; the answer varies by Accept,
    # so that no cache hands one's answer to the other.
    both = client.get(url, headers={"Accept": "application/atom+xml,text/html;q=0.5"})
    assert both["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert "Accept" in browser["Vary"]
    # A feed reader that takes HTML last still gets the feed; none named: the feed.
    for accept in ("application/rss+xml, application/xml, text/html;q=0.1", "*/*", ""):
        answer = client.get(url, headers={"Accept": accept})
        assert answer["Content-Type"] == "application/atom+xml; charset=utf-8", accept
    assert client.get(url)["Content-Type"] == "application/atom+xml; charset=utf-8"


def test_the_stylesheet_is_well_formed_xslt():
    root = ElementTree.parse(finders.find(FEED_STYLESHEET)).getroot()
    assert root.tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"
    stylesheet()  # lxml compiles it


@pytest.mark.parametrize("url", FEEDS)
def test_the_stylesheet_shows_the_entries_their_dates_and_citations(client, url):
    feed = etree.fromstring(client.get(url).content)
    page = stylesheet()(feed.getroottree())
    html = str(page)
    assert html.lstrip().lower().startswith("<!doctype html")
    title = feed.findtext("atom:title", namespaces=ATOM_NS)
    assert f"<h1>{title}</h1>" in html
    entries = feed.findall("atom:entry", namespaces=ATOM_NS)
    assert entries, "the shipped data give this feed entries"
    tree = page.getroot()
    shown = tree.findall(".//li[@class='feed-entry']")
    assert len(shown) == len(entries)
    for entry, item in zip(entries, shown, strict=True):
        link = item.find(".//h2/a")
        assert link.text == entry.findtext("atom:title", namespaces=ATOM_NS)
        assert link.get("href") == entry.find("atom:link", namespaces=ATOM_NS).get("href")
        summary = entry.findtext("atom:summary", namespaces=ATOM_NS)
        assert item.find(".//p[@class='feed-entry-summary']").text == summary
        dates = item.findall(".//time")
        published = entry.findtext("atom:published", namespaces=ATOM_NS)
        assert dates[0].get("datetime") == published[:10]
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", dates[0].text)
        # Atom gives every entry the day it was last changed (RFC 4287, 4.1.2).
        assert entry.findtext("atom:updated", namespaces=ATOM_NS)
    # How to subscribe, and the way back to the site on the same origin.
    self_link = feed.find("atom:link[@rel='self']", namespaces=ATOM_NS).get("href")
    assert tree.find(".//a[@class='feed-address']").get("href") == self_link
    assert tree.find(".//a[@class='brand']").get("href") == "/"
    css = tree.find(".//link[@rel='stylesheet']").get("href")
    assert css == static("css/site.css")


def test_each_action_entry_cites_its_source(client):
    feed = etree.fromstring(client.get(FEEDS[0]).content)
    summaries = feed.findall("atom:entry/atom:summary", namespaces=ATOM_NS)
    assert summaries
    assert all("Source: " in s.text for s in summaries)
    published = feed.findall("atom:entry/atom:published", namespaces=ATOM_NS)
    page = str(stylesheet()(feed.getroottree()))
    # Germany signed the Convention on 12 December 2000: its entry is dated so.
    assert any(p.text.startswith("2000-12-12") for p in published)
    assert "12 December 2000" in page
