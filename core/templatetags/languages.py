"""The language of a page, its versions in the other languages, and the switch between them.

`{% page_lang %}` is the code for `<html lang>`; `{% language_alternates %}` writes the
`hreflang` links of the head (every language and x-default, the English page), and
`{% language_switch %}` the switch every page carries: plain links, the same for every
visitor of a URL, so the page stays cacheable (core/languages.py, language_choose).
`{{ text|english }}` marks data recorded in English only (a summary, a source) as English,
for a screen reader on a page in another language, also inside a `{% blocktranslate %}`.
"""

from typing import Any

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.languages import ENGLISH, public_code, switch_href, translatable, translated_path
from core.links import absolute_url

register = template.Library()


@register.filter
def english(text: object) -> SafeString | str:
    """The text in a `<span lang="en">` (escaped); nothing for no text."""
    if text is None or text == "":
        return ""
    return format_html('<span lang="en">{}</span>', text)


@register.simple_tag
def page_lang() -> str:
    return public_code()


def _full_path(context: Any) -> str | None:
    """The page's path and query, or None for a page that exists in one language only."""
    request = context.get("request")
    if request is None or not translatable(request.path_info):
        return None
    return request.get_full_path()


@register.inclusion_tag("includes/language_alternates.html", takes_context=True)
def language_alternates(context: Any) -> dict[str, Any]:
    full_path = _full_path(context)
    if full_path is None:
        return {"alternates": []}
    alternates = [
        (code, absolute_url(translated_path(full_path, code))) for code, _ in settings.LANGUAGES
    ]
    alternates.append(("x-default", absolute_url(translated_path(full_path, ENGLISH))))
    return {"alternates": alternates}


@register.inclusion_tag("includes/language_switch.html", takes_context=True)
def language_switch(context: Any) -> dict[str, Any]:
    full_path = _full_path(context)
    if full_path is None:
        return {"languages": []}
    current = public_code()
    return {
        "languages": [
            {
                "code": code,
                "name": name,
                "href": switch_href(code, full_path),
                "current": code == current,
            }
            for code, name in settings.LANGUAGES
        ]
    }
