"""JSON bodies shared by the API tests (no tests here)."""

from __future__ import annotations

SIGNED = {"kind": "signed_form"}
# The person the registration tests post: the fields every new client needs.
AN_JANSSENS = {"first_name": "An", "last_name": "Janssens", "birth_date": "1985-03-02", "gender": "F"}
