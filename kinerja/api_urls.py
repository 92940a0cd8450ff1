"""One router for the whole API; each app registers its viewsets in its api.py."""

from rest_framework.routers import DefaultRouter

from kinerja.org import api as org_api

router = DefaultRouter()
org_api.register(router)

urlpatterns = router.urls
