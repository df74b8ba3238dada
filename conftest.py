"""Root conftest: only what pytest reads before collecting (the shared fixtures live in
src/werkbrug/conftest.py)."""


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"
