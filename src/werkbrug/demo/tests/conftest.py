import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """The demo uploads the library's PDFs: into the test's own directory, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
