"""Projects tests file service-desk requests through the hook: the service desk's categories and SLA
policies must exist (migrations seed them; a transactional test's flush removes them)."""

import pytest


@pytest.fixture(autouse=True)
def _servicedesk_seeded(request):
    if "django_db" in request.keywords or request.node.get_closest_marker("django_db"):
        from courtyard.servicedesk.seed import seed

        request.getfixturevalue("django_db_blocker")
        seed()
