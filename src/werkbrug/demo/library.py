"""The library in the demo (issue 18 point 2): the network's vision text in two versions, the
competency form for the work partners and the cooperation agreement, and a second draaiboek version
(the wording of one indication, published after the demo's referrals: they keep version 1's)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from werkbrug.demo.steps import Steps
from werkbrug.library import actions
from werkbrug.network import draaiboek_actions

ADMIN = "admin"


def _pdf(title: str) -> SimpleUploadedFile:
    """A one-page PDF that says its title (fictional content)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return SimpleUploadedFile("document.pdf", bytes(out), content_type="application/pdf")


def library(demo: Steps) -> None:
    admin = demo.actors[ADMIN]
    vision = actions.create_document(
        admin,
        title="Visietekst netwerk Zorg en Werk",
        kind="vision",
        audience="all",
        description="Waarom we samenwerken en hoe: de visie van het netwerk.",
        file=_pdf("Visietekst netwerk Zorg en Werk"),
        note="Eerste versie, goedgekeurd door de stuurgroep.",
    )
    actions.add_version(
        admin,
        vision.document,
        file=_pdf("Visietekst netwerk Zorg en Werk - versie 2"),
        note="Een hoofdstuk over IPS toegevoegd en de doelgroep scherper omschreven.",
    )
    actions.create_document(
        admin,
        title="Competentieformulier",
        kind="form",
        audience="work",
        description="Het formulier dat de coach samen met de cliënt invult.",
        file=_pdf("Competentieformulier"),
        note="Eerste versie.",
    )
    actions.create_document(
        admin,
        title="Samenwerkingsovereenkomst",
        kind="agreement",
        audience="all",
        description="De overeenkomst die elke partner van het netwerk tekent.",
        file=_pdf("Samenwerkingsovereenkomst"),
        note="Eerste versie.",
    )
    row = draaiboek_actions.edit_indication(
        admin,
        "shared_focus",
        label="Zorg en werk worden samen bekeken, met één gedeelde focus",
        group="arbeidscoach",
        to_case_team=False,
    )
    actions.publish_draaiboek(
        admin, row.version, note="De indicatie over een gedeelde focus op zorg en werk helderder verwoord."
    )
