"""Which buttons and forms a matching page offers comes from the record
(available_actions), not from status words in the templates."""

from __future__ import annotations

import pytest

from matching.models import Proposal, ProposalStatus, ServiceTask, TaskStatus, Wish, WishStatus


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (TaskStatus.ASSIGNED, ["start", "cancel", "complete"]),
        (TaskStatus.IN_PROGRESS, ["cancel", "complete"]),
        (TaskStatus.DONE, []),
        (TaskStatus.CANCELLED, []),
    ],
)
def test_it_offers_what_a_task_in_each_state_allows(status, actions):
    assert ServiceTask(status=status).available_actions == actions


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (WishStatus.PUBLISHED, ["claim"]),
        (WishStatus.CLAIMED, ["fulfil"]),
        (WishStatus.FULFILLED, []),
        (WishStatus.CANCELLED, []),
    ],
)
def test_it_offers_what_a_wish_in_each_state_allows(status, actions):
    assert Wish(status=status).available_actions == actions


def test_it_lets_only_a_proposed_match_be_decided():
    assert Proposal(status=ProposalStatus.PROPOSED).available_actions == ["confirm", "reject"]
    assert Proposal(status=ProposalStatus.CONFIRMED).available_actions == []
    assert Proposal(status=ProposalStatus.REJECTED).available_actions == []
