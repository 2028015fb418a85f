"""The tamper-evident audit chain: each way of altering the stored trail is named by the verification."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from accounts import audit, audit_chain
from accounts.models import AuditCheckpoint, AuditEntry, Organisation

pytestmark = pytest.mark.django_db


def _write(officer, count=5):
    organisation = officer.organisation
    for number in range(count):
        audit.record(
            actor=officer,
            action="organisation.update",
            instance=organisation,
            before={"name": f"name {number}", "price": Decimal("12.3400"), "on": datetime.date(2026, 1, number + 1)},
            after={"name": f"name {number + 1}", "when": timezone.now()},
            reason=f"change {number}",
        )
    return list(AuditEntry.objects.order_by("id"))


def test_sealed_chain_verifies_intact(officer):
    rows = _write(officer)
    assert audit_chain.seal() == len(rows)
    result = audit_chain.verify()
    assert result.intact, result.problems
    assert result.sealed == len(rows) and result.pending == 0
    sealed = list(AuditEntry.objects.order_by("seq"))
    assert [row.id for row in sealed] == [row.id for row in rows]
    assert [row.seq for row in sealed] == list(range(1, len(rows) + 1))
    assert (result.head_seq, result.head_mac) == (len(rows), sealed[-1].chain_mac)


def test_sealing_twice_changes_nothing(officer):
    _write(officer)
    audit_chain.seal()
    before = list(AuditEntry.objects.order_by("id").values_list("seq", "chain_mac"))
    assert audit_chain.seal() == 0
    assert list(AuditEntry.objects.order_by("id").values_list("seq", "chain_mac")) == before


def test_rows_written_later_extend_the_chain(officer):
    _write(officer, 3)
    audit_chain.seal()
    _write(officer, 2)
    assert audit_chain.verify().pending == 2
    assert audit_chain.seal() == 2
    result = audit_chain.verify()
    assert result.intact and result.sealed == 5


def test_edited_row_is_named(officer):
    rows = _write(officer)
    audit_chain.seal()
    AuditEntry.objects.filter(id=rows[2].id).update(after={"name": "forged"})
    problem = audit_chain.verify().first_problem
    assert (problem.kind, problem.entry_id, problem.seq) == ("edited", rows[2].id, 3)


def test_edited_time_or_actor_is_named(officer):
    rows = _write(officer)
    audit_chain.seal()
    AuditEntry.objects.filter(id=rows[1].id).update(actor_name="someone else")
    assert audit_chain.verify().first_problem.entry_id == rows[1].id


def test_deleted_row_is_named(officer):
    rows = _write(officer)
    audit_chain.seal()
    AuditEntry.objects.filter(id=rows[1].id).delete()
    problem = audit_chain.verify().first_problem
    assert problem.kind == "deleted"
    assert problem.entry_id == rows[2].id
    assert "position 2" in problem.message


def test_deleted_and_renumbered_rows_break_the_link(officer):
    rows = _write(officer)
    audit_chain.seal()
    AuditEntry.objects.filter(id=rows[1].id).delete()
    for row in AuditEntry.objects.filter(seq__gt=2).order_by("seq"):
        AuditEntry.objects.filter(id=row.id).update(seq=row.seq - 1)
    problem = audit_chain.verify().first_problem
    assert (problem.kind, problem.entry_id, problem.seq) == ("reordered", rows[2].id, 2)


def test_reordered_rows_are_named(officer):
    rows = _write(officer)
    audit_chain.seal()
    first, second = AuditEntry.objects.get(id=rows[1].id), AuditEntry.objects.get(id=rows[2].id)
    AuditEntry.objects.filter(id=first.id).update(seq=-1)
    AuditEntry.objects.filter(id=second.id).update(seq=first.seq)
    AuditEntry.objects.filter(id=first.id).update(seq=second.seq)
    problem = audit_chain.verify().first_problem
    assert (problem.kind, problem.entry_id) == ("reordered", second.id)


def test_row_inserted_outside_the_platform_is_named(officer):
    _write(officer)
    audit_chain.seal()
    forged = AuditEntry.objects.create(
        actor_name="intruder", action="bid.submit", object_type="procurement.bid", object_id="1", object_repr="x"
    )
    AuditEntry.objects.filter(id=forged.id).update(content_mac="0" * 64)
    problem = audit_chain.verify().first_problem
    assert (problem.kind, problem.entry_id) == ("inserted", forged.id)
    # Sealing does not launder it: once chained, the forged row is still named (its content never matched).
    audit_chain.seal()
    problem = audit_chain.verify().first_problem
    assert problem.entry_id == forged.id and problem.kind in {"edited", "inserted"}


def test_row_inserted_with_a_made_up_seal_is_named(officer):
    rows = _write(officer, 2)
    audit_chain.seal()
    forged = AuditEntry.objects.create(
        actor_name="intruder", action="x", object_type="x", object_id="1", object_repr="x", seq=3
    )
    AuditEntry.objects.filter(id=forged.id).update(content_mac="1" * 64, chain_mac="2" * 64)
    problem = audit_chain.verify().first_problem
    assert (problem.kind, problem.entry_id) == ("inserted", forged.id)
    assert rows


def test_rows_deleted_from_the_end_are_caught_by_a_checkpoint(officer):
    rows = _write(officer)
    checkpoint = audit_chain.publish_checkpoint("GY-TEST opening")
    assert checkpoint.seq == len(rows)
    assert audit_chain.verify().intact
    AuditEntry.objects.filter(id=rows[-1].id).delete()
    problem = audit_chain.verify().first_problem
    assert problem.kind == "deleted"
    assert "GY-TEST opening" in problem.message


def test_record_many_rows_are_sealed_like_the_others(officer):
    organisation = officer.organisation
    entries = [
        audit.entry_for(actor=None, action="rating.update", instance=organisation, after={"n": n, "d": Decimal("1.5")})
        for n in range(50)
    ]
    audit.record_many(entries)
    assert all(row.content_mac for row in AuditEntry.objects.all())
    audit_chain.seal(batch=7)
    result = audit_chain.verify()
    assert result.intact, result.problems
    assert result.sealed == 50


def test_a_rolled_back_change_leaves_nothing_to_seal(officer):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(actor=officer, action="organisation.update", instance=officer.organisation)
        raise RuntimeError
    assert audit_chain.seal() == 0
    assert not AuditEntry.objects.exists()


def test_one_transaction_schedules_one_sealing(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        _write(officer, 3)
    assert len(callbacks) == 1
    assert AuditEntry.objects.filter(seq__isnull=True).count() == 0
    assert audit_chain.verify().intact


def test_audit_verify_command_reports_and_fails_on_tampering(officer, capsys):
    rows = _write(officer)
    call_command("audit_verify", "--seal", "--checkpoint", "manual check")
    out = capsys.readouterr().out
    assert "audit chain intact" in out
    assert f"position {len(rows)}" in out
    assert AuditCheckpoint.objects.get().label == "manual check"
    AuditEntry.objects.filter(id=rows[0].id).update(reason="rewritten")
    with pytest.raises(CommandError, match=f"edited.*row {rows[0].id}"):
        call_command("audit_verify")


def test_seals_depend_on_the_key_kept_outside_the_database(officer, settings):
    _write(officer, 2)
    audit_chain.seal()
    settings.AUDIT_CHAIN_KEY = "another key"
    assert audit_chain.verify().first_problem.kind in {"edited", "inserted"}


def test_organisation_names_with_any_characters_verify(officer):
    organisation = Organisation.objects.get(pk=officer.organisation_id)
    organisation.name = "省医保局 “测试” \\ 'quote'"
    audit.record(actor=officer, action="organisation.update", instance=organisation, after={"name": organisation.name})
    audit_chain.seal()
    assert audit_chain.verify().intact
    assert connection.vendor in {"sqlite", "postgresql"}


def test_verification_page_verifies_and_publishes_the_head(officer, client_for):
    rows = _write(officer, 3)
    client = client_for(officer)
    page = client.post("/audit/verification/").content.decode()
    assert "The audit chain is intact: 3 rows" in page
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.seq == 3 and checkpoint.label == f"verification by {officer.username}"
    AuditEntry.objects.filter(id=rows[1].id).update(reason="rewritten")
    page = client.post("/audit/verification/").content.decode()
    assert "The audit chain is broken (edited)" in page
    assert f"/audit/{rows[1].id}/" in page
    assert AuditCheckpoint.objects.count() == 1
    detail = client.get(f"/audit/{rows[1].id}/").content.decode()
    assert "content does not match its seal" in detail
    assert "content matches its seal" in client.get(f"/audit/{rows[0].id}/").content.decode()


def test_audit_pages_are_for_the_authority_only(officer, supplier_user, hospital_user, client_for):
    rows = _write(officer, 1)
    for user in (supplier_user, hospital_user):
        client = client_for(user)
        assert client.get("/audit/verification/").status_code == 403
        assert client.post("/audit/verification/").status_code == 403
        assert client.get(f"/audit/{rows[0].id}/").status_code == 403
    assert not AuditCheckpoint.objects.exists()


def test_audit_api_lists_seals_and_verifies(officer, supplier_user, api_for):
    rows = _write(officer, 2)
    api = api_for(officer)
    answer = api.post("/api/v1/audit-entries/verify/")
    assert answer.status_code == 200
    assert answer.json()["intact"] is True and answer.json()["sealed"] == 2
    listed = api.get("/api/v1/audit-entries/", {"object_id": str(officer.organisation_id)}).json()["results"]
    assert {row["seq"] for row in listed} == {1, 2} and all(len(row["chain_mac"]) == 64 for row in listed)
    AuditEntry.objects.filter(id=rows[0].id).update(object_repr="forged")
    problems = api.post("/api/v1/audit-entries/verify/").json()["problems"]
    assert problems[0]["kind"] == "edited" and problems[0]["entry_id"] == rows[0].id
    outsider = api_for(supplier_user)
    assert outsider.get("/api/v1/audit-entries/").status_code == 403
    assert outsider.post("/api/v1/audit-entries/verify/").status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_each_sealing_after_commit_leave_one_unbroken_chain(officer):
    import threading

    barrier = threading.Barrier(8)
    errors = []

    def writer():
        try:
            barrier.wait()
            for number in range(10):
                with transaction.atomic():  # each commit runs the sealer, which mostly finds the chain taken
                    audit.record(
                        actor=officer, action="organisation.update", instance=officer.organisation, after={"n": number}
                    )
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    audit_chain.seal()  # what the periodic task does for rows whose sealer found the chain taken
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 80
    assert audit_chain.verify().intact
    with connection.cursor() as cursor:  # the sealers' session lock is released, none left behind
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s", [audit_chain.SEAL_LOCK]
        )
        assert cursor.fetchone()[0] == 0


def _anchored(officer, django_capture_on_commit_callbacks, count=5, label="opening GY-TEST"):
    """Rows, then a checkpoint whose anchor is written outside the database once the transaction commits."""
    rows = _write(officer, count)
    with django_capture_on_commit_callbacks(execute=True):
        audit_chain.publish_checkpoint(label)
    return rows


def test_anchors_are_signed_and_appended_outside_the_database(officer, django_capture_on_commit_callbacks, settings):
    _anchored(officer, django_capture_on_commit_callbacks)
    (anchor,) = audit_chain.anchors()
    assert anchor["seq"] == 5 and anchor["label"] == "opening GY-TEST" and len(anchor["signature"]) == 64
    files = list(settings.AUDIT_ANCHOR_DIR.iterdir())
    assert len(files) == 1 and files[0].stat().st_mode & 0o077 == 0
    assert audit_chain.verify().intact and audit_chain.verify().anchor["seq"] == 5


def test_tail_truncation_is_caught_by_the_anchor(officer, django_capture_on_commit_callbacks):
    _anchored(officer, django_capture_on_commit_callbacks)
    AuditEntry.objects.filter(seq__gte=4).delete()
    result = audit_chain.verify()
    assert not result.intact and result.first_problem.kind == "deleted" and result.first_problem.seq == 5


def test_truncation_together_with_the_checkpoints_is_caught_by_the_anchor(officer, django_capture_on_commit_callbacks):
    _anchored(officer, django_capture_on_commit_callbacks)
    AuditEntry.objects.filter(seq__gte=3).delete()
    AuditCheckpoint.objects.all().delete()
    result = audit_chain.verify()
    assert not result.intact and result.first_problem.kind == "deleted"
    assert "anchored outside the database" in result.first_problem.message
    with pytest.raises(CommandError, match="anchored outside the database"):
        call_command("audit_verify")


def test_a_full_rewrite_resealed_with_another_key_is_caught(officer, django_capture_on_commit_callbacks, settings):
    rows = _anchored(officer, django_capture_on_commit_callbacks)
    # The attacker edits a row and re-seals the whole chain with a key of their own (say, the old public default).
    AuditEntry.objects.filter(pk=rows[1].pk).update(reason="nothing happened")
    real_key = audit_chain.key_text()
    settings.AUDIT_CHAIN_KEY = "audit-chain:embedded-development-key-not-for-production-use-0123456789"
    AuditEntry.objects.update(seq=None, chain_mac="", content_mac="")
    for entry in AuditEntry.objects.all():
        AuditEntry.objects.filter(pk=entry.pk).update(content_mac=audit_chain.content_mac(entry))
    audit_chain.seal()
    AuditCheckpoint.objects.all().delete()
    assert audit_chain.verify().first_problem.kind == "anchor"  # even under their key, the anchor is not theirs
    settings.AUDIT_CHAIN_KEY = real_key
    result = audit_chain.verify()
    assert not result.intact and result.first_problem.kind in ("inserted", "edited")


def test_the_embedded_key_is_random_and_kept_in_a_file(settings, tmp_path):
    settings.AUDIT_CHAIN_KEY = ""
    settings.AUDIT_CHAIN_KEY_FILE = tmp_path / "var" / "audit-chain.key"
    key = audit_chain.key_text()
    assert len(key) >= 40 and "embedded-development" not in key
    assert settings.AUDIT_CHAIN_KEY_FILE.stat().st_mode & 0o077 == 0
    assert audit_chain.key_text() == key
