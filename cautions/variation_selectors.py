"""What the caution document and the case page read of a caution's variations.

Versions of the caution document: 1 is signed when the caution is given; variation n makes
version n + 1 (cautions.Variation.document_version); a DocumentSignature records a later
version signed.

For the print-for-signature document: `variations_since_signed(case)` lists the variations
the person has not yet signed for (none when the latest version is signed), oldest first; each
row has its kind, document_version, condition (type selected), `changes` ({label: {"before",
"after"}}), reason, agreed_on, recorded_by and recorded_at. Record the signature with
`cautions.services.caution_document_version_signed`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max

from cautions.models import Case, DocumentSignature, Variation


@dataclass(frozen=True)
class DocumentState:
    version: int
    signed_version: int

    @property
    def needs_signing(self) -> bool:
        return self.version > self.signed_version


def document_version(case: Case) -> int:
    latest = Variation.objects.filter(case=case).aggregate(v=Max("document_version"))["v"]
    return latest or 1


def signed_document_version(case: Case) -> int:
    latest = DocumentSignature.objects.filter(case=case).aggregate(v=Max("document_version"))["v"]
    return latest or 1


def document_state(case: Case) -> DocumentState:
    """The latest version of the caution document and the latest signed, in one query."""
    row = Variation.objects.filter(case=case).aggregate(
        version=Max("document_version"), signed=Max("case__document_signatures__document_version")
    )
    return DocumentState(version=row["version"] or 1, signed_version=row["signed"] or 1)


def document_needs_signing(case: Case) -> bool:
    """A variation made a version of the caution document the person has not signed."""
    return document_state(case).needs_signing


def variations_since_signed(case: Case) -> list[Variation]:
    return list(
        Variation.objects.filter(case=case, document_version__gt=signed_document_version(case))
        .select_related("condition__condition_type", "recorded_by")
        .order_by("document_version")
    )


def variations(case: Case) -> list[Variation]:
    """Every variation of the case, oldest first."""
    return list(
        Variation.objects.filter(case=case)
        .select_related("condition__condition_type", "recorded_by")
        .order_by("document_version")
    )
