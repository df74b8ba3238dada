import pytest


@pytest.fixture(autouse=True)
def english(settings):
    """The messages are checked in English (the Dutch and French come with the catalogues)."""
    settings.LANGUAGE_CODE = "en"
