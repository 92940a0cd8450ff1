"""One router for the whole API; each app registers its viewsets in its api.py."""

from rest_framework.routers import DefaultRouter

from kinerja.assessment import api as assessment_api
from kinerja.assessment import api_grades as assessment_grades_api
from kinerja.followup import api as followup_api
from kinerja.monitoring import api as monitoring_api
from kinerja.org import api as org_api
from kinerja.planning import api as planning_api
from kinerja.surveys import api as surveys_api

router = DefaultRouter()
org_api.register(router)
planning_api.register(router)
surveys_api.register(router)
monitoring_api.register(router)
assessment_api.register(router)
assessment_grades_api.register(router)
followup_api.register(router)

urlpatterns = router.urls
