from django.urls import path

from instruments import views, worldmap

urlpatterns = [
    path("", views.home, name="home"),
    path("status/", views.status_matrix, name="status"),
    path("instruments/", views.instrument_index, name="instrument-index"),
    path("states/", views.participant_index, name="participant-index"),
    path("instruments/<slug:code>/", views.instrument_detail, name="instrument-detail"),
    path("search/", views.search, name="search"),
    path("map/", worldmap.world_map, name="world-map"),
    path("feeds/actions/", views.action_feed, name="feed-actions"),
]
