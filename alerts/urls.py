from django.urls import path

from alerts import views

urlpatterns = [
    path("changes/", views.changes, name="changes"),
    path("feeds/changes/", views.change_feed, name="feed-changes"),
    path("alerts/subscribe/", views.subscribe, name="subscribe"),
    path("alerts/confirm/<str:token>/", views.subscription_confirm, name="subscription-confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "alerts/language/<str:token>/",
        views.subscription_language,
        name="subscription-language",
    ),
]
