from django.urls import path

from reports import views

urlpatterns = [
    path("states/<str:iso3>/", views.participant_detail, name="participant-detail"),
    path("compliance/", views.compliance, name="compliance"),
    path("reports/osce-status/", views.osce_status_report, name="osce-status-report"),
    path("data-quality/", views.data_quality_page, name="data-quality"),
    path("authorities/", views.authority_list, name="authority-list"),
]
