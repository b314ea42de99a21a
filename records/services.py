"""Merging a duplicate person into the record kept, and undoing it (issue 16 point 10).

DECISIONS ("Records and the audit trail"): a merge never rewrites the access log or history.
The duplicate stays, pointing to the record kept (`Person.merged_into`); what is *about the
person's offending* moves: offences, cases (and with them their conditions, referrals,
sessions and history) and linked national records. Each moved row is listed (MovedRow), so
that undoing moves back exactly those, and nothing added to the kept record since.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from hub.errors import InvalidTransition, NotAllowed, RuleViolation
from hub.models import Person
from records.models import MovedRow, PersonMerge

# The models holding a `person` foreign key that follows a merge, by label. Every other
# reference to a person stays where it is, on purpose (tests/records: test_every_reference
# _to_a_person_is_moved_or_kept_on_purpose): the access log, the history tables, the merge
# pointer itself, and the merge records.
MOVED_MODELS = (
    "hub.offence",
    "cautions.case",
    "hub.reoffencerecord",
    "reporting.comparisonrecord",
    # Every message sent to the person follows them (subject access, the caseworker's view).
    "notifications.message",
)
PERMISSION = "records.merge_person"


def _lock_people(*pks: int) -> dict[int, Person]:
    # In id order, so two merges of the same pair in opposite directions cannot deadlock.
    people = Person.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    return {person.pk: person for person in people}


def _check_mergeable(kept: Person, merged: Person) -> None:
    if kept.pk == merged.pk:
        raise RuleViolation(
            "Choose a different record: a record cannot be merged into itself", field="merged"
        )
    for person, field in ((kept, "kept"), (merged, "merged")):
        if person.anonymised_at:
            raise InvalidTransition(
                f"Person {person.pk} has been anonymised: it cannot be merged", field=field
            )
        if person.merged_into_id:
            raise InvalidTransition(
                f"Person {person.pk} was already merged into person {person.merged_into_id}",
                field=field,
            )
    if merged.merged_people.exists():
        raise InvalidTransition(
            f"Other records were merged into person {merged.pk}: merge into that record instead",
            field="merged",
        )
    if kept.pnc_id and merged.pnc_id and kept.pnc_id != merged.pnc_id:
        raise RuleViolation(
            f"The two records have different PNC IDs ({kept.pnc_id} and {merged.pnc_id}): the "
            "Police National Computer holds them as two people, so they are not merged here",
            field="merged",
        )


@transaction.atomic
def person_merge(*, user, kept: Person, merged: Person, reason: str) -> PersonMerge:
    """Merge `merged` (a duplicate) into `kept`.

    Locks both people (in id order), checks that neither is anonymised or merged already,
    that no record was merged into the duplicate, and that their PNC IDs do not differ; moves
    the duplicate's offences, cases and national records to `kept`, listing each in
    MovedRow; moves its PNC ID when `kept` has none; points the duplicate to `kept` (its
    history row says so). Invariant (database): one active merge per duplicate.
    """
    if not user.has_perm(PERMISSION):
        raise NotAllowed("Your role does not allow merging person records")
    if not reason.strip():
        raise RuleViolation("Enter why these two records are the same person", field="reason")
    people = _lock_people(kept.pk, merged.pk)
    kept, merged = people[kept.pk], people[merged.pk]
    _check_mergeable(kept, merged)
    merge = PersonMerge.objects.create(
        kept=kept, merged=merged, reason=reason.strip(), merged_by=user, merged_at=timezone.now()
    )
    moves = []
    for label in MOVED_MODELS:
        model = apps.get_model(label)
        ids = list(
            model.objects.select_for_update().filter(person=merged).values_list("pk", flat=True)
        )
        model.objects.filter(pk__in=ids).update(person=kept, **_touched(model))
        moves += [MovedRow(merge=merge, model=label, object_id=pk) for pk in ids]
    MovedRow.objects.bulk_create(moves)
    _save(merged, user, f"Merged into person {kept.pk} (merge {merge.pk})", merged_into=kept)
    if merged.pnc_id and not kept.pnc_id:
        merge.pnc_id_moved = merged.pnc_id
        merge.save(update_fields=["pnc_id_moved"])
        # The duplicate lets go first: the PNC ID is unique.
        _save(merged, user, f"PNC ID moved to person {kept.pk} (merge {merge.pk})", pnc_id=None)
        _save(kept, user, f"PNC ID from merged person {merged.pk}", pnc_id=merge.pnc_id_moved)
    return merge


@transaction.atomic
def person_unmerge(*, user, merge: PersonMerge, reason: str) -> PersonMerge:
    """Undo `merge`: the rows it moved go back to the duplicate (those still on the record
    kept: a row moved on since stays where it is), the PNC ID it moved goes back, and the
    duplicate is current again. Locks the merge and both people; refuses a merge undone
    already. The record kept keeps what was added to it after the merge.
    """
    if not user.has_perm(PERMISSION):
        raise NotAllowed("Your role does not allow undoing merges")
    if not reason.strip():
        raise RuleViolation("Enter why the merge is being undone", field="reason")
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise InvalidTransition(f"This merge was already undone on {merge.undone_at:%d %B %Y}")
    people = _lock_people(merge.kept_id, merge.merged_id)
    kept, merged = people[merge.kept_id], people[merge.merged_id]
    for label in MOVED_MODELS:
        ids = [row.object_id for row in merge.moves.all() if row.model == label]
        model = apps.get_model(label)
        model.objects.filter(pk__in=ids, person=kept).update(person=merged, **_touched(model))
    if merge.pnc_id_moved and kept.pnc_id == merge.pnc_id_moved:
        _save(kept, user, f"PNC ID back to person {merged.pk} (merge undone)", pnc_id=None)
        _save(merged, user, "PNC ID back (merge undone)", pnc_id=merge.pnc_id_moved)
    _save(merged, user, f"Merge into person {kept.pk} undone", merged_into=None)
    merge.undone_at, merge.undone_by, merge.undo_reason = timezone.now(), user, reason.strip()
    merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    return merge


def _touched(model) -> dict:
    # A bulk update skips auto_now: set it, so that caches keyed on the latest change (the
    # dashboard's data version) see the move.
    names = {field.name for field in model._meta.get_fields()}
    return {"updated_at": timezone.now()} if "updated_at" in names else {}


def _save(person: Person, user, why: str, **changes) -> None:
    for field, value in changes.items():
        setattr(person, field, value)
    person._history_user = user
    person._change_reason = why[:100]
    person.save(update_fields=list(changes))
