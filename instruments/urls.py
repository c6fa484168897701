from django.urls import path, register_converter

from instruments import search_views, views, worldmap


class SheetFormat:
    """The formats of a table's download: /status/table.xlsx, /status/table.csv."""

    regex = "xlsx|csv"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SheetFormat, "sheet")

urlpatterns = [
    path("", views.home, name="home"),
    path("status/", views.status_matrix, name="status"),
    path("status/table.<sheet:fmt>", views.status_table_download, name="status-table"),
    path("instruments/", views.instrument_index, name="instrument-index"),
    path("states/", views.participant_index, name="participant-index"),
    path("instruments/<slug:code>/", views.instrument_detail, name="instrument-detail"),
    path(
        "instruments/<slug:code>/table.<sheet:fmt>",
        views.instrument_table_download,
        name="instrument-table",
    ),
    path("search/", search_views.search, name="search"),
    path("map/", worldmap.world_map, name="world-map"),
    path("feeds/actions/", views.action_feed, name="feed-actions"),
]
