"""A placement proposal whose task worker stopped is queued again once, then failed visibly,
in the manager's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from borderwatch.accounts.models import User
from borderwatch.core import workers
from borderwatch.core.models import AuditEntry
from borderwatch.reception.models import PlacementProposal
from tests.core.task_rows import LONG_AGO, task_row

pytestmark = pytest.mark.django_db


def test_a_proposal_whose_worker_died_is_requeued_then_failed_visibly(
    manager_lt: User, client_for: Callable[[User], Client]
) -> None:
    proposal = PlacementProposal.objects.create(
        member_state="LT", day=dt.date(2021, 7, 27), requested_by=manager_lt, status="running",
        progress=40, started_at=timezone.now() - LONG_AGO,
    )  # fmt: skip
    row = task_row("borderwatch.reception.tasks.propose", proposal.pk)
    PlacementProposal.objects.filter(pk=proposal.pk).update(task_id=str(row.pk))

    workers.recover()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.progress, proposal.started_at) == ("queued", 0, None)
    client = client_for(manager_lt)
    url = f"/reception/proposals/{proposal.pk}/progress/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="lv").content.decode()
    assert "Apstrādes process apstājās šī priekšlikuma sagatavošanas laikā" in page

    DBTaskResult.objects.filter(pk=row.pk).update(
        status="RUNNING", started_at=timezone.now() - LONG_AGO, worker_ids=["a", "b"]
    )
    PlacementProposal.objects.filter(pk=proposal.pk).update(status="running")
    workers.recover()
    proposal.refresh_from_db()
    assert proposal.status == "failed" and proposal.error == "the task worker stopped"
    actions = list(
        AuditEntry.objects.filter(action__startswith="reception.proposal.", actor=None)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["reception.proposal.requeue", "reception.proposal.failed"]
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Optymalizator zakończył się błędem (zatrzymał się proces roboczy zadań)" in page
