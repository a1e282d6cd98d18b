from courtyard.servicedesk.tests.conftest import file_one, sd  # noqa: F401  (service-desk fixtures)
