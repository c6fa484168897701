"""Pages of a list: `page` and `page_size` (capped), in one envelope for every resource.

    {"count": 864, "next": "…?page=2", "previous": null, "results": [...]}

A queryset costs two queries (its count and the page), or one with `count_in_page` (each
row of the page carries the count, from a subquery) or `counted` (the rows carry it already,
as a union's parts do: see instruments.history); a list of rows built in Python costs none.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.filters import QueryFilterSet, WholeNumberFilter
from core.i18n import lazy_format
from core.links import absolute_url
from core.querysets import COUNT_OF_ALL, count_of_all
from core.rest.errors import ParameterError, Problem

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class PageFilterSet(QueryFilterSet):
    """`page` and `page_size`: the API's, not the pages' (a page shows its whole list)."""

    page = WholeNumberFilter(
        label=gettext_lazy("Page"), help_text=gettext_lazy("Page number, from 1."), default=1
    )
    page_size = WholeNumberFilter(
        label=gettext_lazy("Rows per page"),
        help_text=lazy_format(
            gettext_lazy(
                "Rows per page: %(size)s unless given; larger values than %(most)s are capped "
                "to %(most)s."
            ),
            size=PAGE_SIZE,
            most=MAX_PAGE_SIZE,
        ),
        default=PAGE_SIZE,
        maximum=MAX_PAGE_SIZE,
    )


def paged(filterset: type[QueryFilterSet]) -> type[QueryFilterSet]:
    """A list's FilterSet with the page parameters: what its API operation parses and
    documents (the page parses `filterset` itself)."""
    return type(f"Paged{filterset.__name__}", (filterset, PageFilterSet), {})


@dataclass
class Page:
    count: int
    next: str | None
    previous: str | None
    results: list[Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "next": self.next,
            "previous": self.previous,
            "results": self.results,
        }


def _page_link(request: Request, number: int) -> str:
    url = absolute_url(request.get_full_path())
    if number == 1:
        return remove_query_param(url, "page")
    return replace_query_param(url, "page", number)


def paginate(
    request: Request,
    rows: QuerySet | Sequence[Any],
    params: dict[str, Any],
    *,
    count_in_page: bool = False,
    counted: bool = False,
) -> Page:
    """The page `params` ask for (as parsed with PageFilterSet); a page past the end is a 400.

    `count_in_page` (a queryset of values() dicts only): read the page and the count of all
    rows in one query; a page past the end then costs a second query, the count.
    `counted` (values() dicts only): the rows carry that count already, under COUNT_OF_ALL.
    """
    if (count_in_page or counted) and isinstance(rows, QuerySet):
        if not counted:
            rows = rows.annotate(**{COUNT_OF_ALL: count_of_all(rows)})
        return _page_counted_in_query(request, rows, params)
    paginator = Paginator(rows, params["page_size"])
    number = params["page"]
    _check_page_exists(number, paginator.num_pages)
    page = paginator.page(number)
    return Page(
        count=paginator.count,
        next=_page_link(request, number + 1) if page.has_next() else None,
        previous=_page_link(request, number - 1) if page.has_previous() else None,
        results=list(page.object_list),
    )


def _check_page_exists(number: int, pages: int) -> None:
    if number > pages:
        raise ParameterError(
            [
                Problem(
                    "page",
                    "page_out_of_range",
                    _("page=%(number)s is past the last page (%(pages)s).")
                    % {"number": number, "pages": pages},
                )
            ]
        )


def page_of(request: Request, count: int, results: list[Any], params: dict[str, Any]) -> Page:
    """The page `params` ask for, when the caller has read its `results` and the `count` of
    all rows itself; a page past the end is a 400."""
    size, number = params["page_size"], params["page"]
    pages = max(1, -(-count // size))  # as Paginator: an empty list has one (empty) page
    _check_page_exists(number, pages)
    return Page(
        count=count,
        next=_page_link(request, number + 1) if number < pages else None,
        previous=_page_link(request, number - 1) if number > 1 else None,
        results=results,
    )


def _page_counted_in_query(request: Request, rows: QuerySet, params: dict[str, Any]) -> Page:
    size, number = params["page_size"], params["page"]
    offset = (number - 1) * size
    found = list(rows[offset : offset + size])
    if found:
        count = found[0][COUNT_OF_ALL]
    elif number == 1:
        count = 0  # nothing matches: one empty page
    else:
        count = rows.count()  # past the end: the count says where the end is
    for row in found:
        del row[COUNT_OF_ALL]
    return page_of(request, count, found, params)


def page_serializer(
    name: str, item: type[serializers.Serializer], **extra: serializers.Field
) -> type[serializers.Serializer]:
    """The envelope of a page of `item`, for the schema; `extra` fields come before results."""
    fields: dict[str, Any] = {
        "count": serializers.IntegerField(help_text="Rows in the whole filtered list."),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        **extra,
        "results": item(many=True),
    }
    return type(name, (serializers.Serializer,), fields)
