"""Query helpers that selectors and the API share."""

from django.db.models import Count, IntegerField, QuerySet, Subquery, Value

# The name under which rows carry count_of_all (see core.rest.pagination).
COUNT_OF_ALL = "rows_in_all_pages"


def count_of_all(rows: QuerySet) -> Subquery:
    """The number of rows `rows` has, unsliced, as an expression to annotate on its own rows:
    a page sliced from it then carries the count of all pages in the same query.

    A scalar subquery, which the database evaluates once; a window function (COUNT(*) OVER
    ()) would give the same number but make the database number every row before the page,
    several times slower on thousands of rows (bench/README.md).
    """
    counted = rows.order_by().annotate(whole=Value(1)).values("whole").annotate(n=Count("pk"))
    return Subquery(counted.values("n"), output_field=IntegerField())
