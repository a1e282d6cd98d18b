"""What every REST endpoint shares: capped pages, throttles for reveals, and a schema that
documents every status code an endpoint can answer with (ADR 0010).

Split in modules that import as little as possible: DRF imports the pagination and throttle
classes while it initialises, before drf-spectacular can be imported.
The schemathesis run in courtyard/web/tests/test_api_fuzz.py holds the API to that schema.
"""
