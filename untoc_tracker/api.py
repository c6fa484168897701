"""The one API router: every resource of every app is registered here, under /api/v1/."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
