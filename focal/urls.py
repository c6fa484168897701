from django.urls import path

from focal import views, views_auth

urlpatterns = [
    path("focal/", views.home, name="focal-home"),
    path("focal/language/", views.language_set, name="focal-language"),
    path("focal/login/", views_auth.login_view, name="focal-login"),
    path("focal/login/verify/", views_auth.verify_view, name="focal-login-verify"),
    path("focal/logout/", views_auth.logout_view, name="focal-logout"),
    path(
        "focal/invitation/renew/",
        views_auth.invitation_renew_view,
        name="focal-invitation-renew",
    ),
    path("focal/invitation/<str:token>/", views_auth.invitation_view, name="focal-invitation"),
    path("focal/submissions/new/", views.submission_new, name="focal-submission-new"),
    path("focal/submissions/<int:pk>/", views.submission_detail, name="focal-submission"),
    path(
        "focal/submissions/<int:pk>/submit/",
        views.submission_submit,
        name="focal-submission-submit",
    ),
    path(
        "focal/submissions/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="focal-attachment",
    ),
    path(
        "focal/submissions/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_remove,
        name="focal-attachment-remove",
    ),
]
