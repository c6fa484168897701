from django.urls import path

from alerts import views

urlpatterns = [
    path("changes/", views.changes, name="changes"),
    path("feeds/changes/", views.change_feed, name="feed-changes"),
]
