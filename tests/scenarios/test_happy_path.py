"""The whole loop, as the people in it live it."""

from __future__ import annotations

from tests.scenarios.conftest import ALICE, OWNER, Story, both_databases


@both_databases
def test_delegate_accept_report_deliver_approve(story: Story) -> None:
    reply = story.delegate(
        f"<@{ALICE}|alice> Ship the Q3 report | done when: PDF sent to the board | due: friday"
    )
    assert reply.status == 200
    receipt = story.ephemeral(OWNER)
    assert "T-1" in receipt.plain_text()

    offer = story.offer(ALICE)
    text = offer.plain_text()
    assert "T-1" in text and "Ship the Q3 report" in text and "PDF sent to the board" in text
    assert "<!date^" in text and f"<@{OWNER}>" in text
    assert [b["text"]["text"] for b in offer.buttons()] == ["Accept", "Ask a question", "Decline"]

    story.click(offer, "Accept", user=ALICE)
    assert "accepted" in story.dm(OWNER).plain_text()
    card = story.offer(ALICE)
    assert [b["text"]["text"] for b in card.buttons()] == ["Report progress", "Deliver", "Ask a question"]

    story.command("/report", user=ALICE, text="T-1 first draft done 60%")
    assert "first draft done" in story.dm(OWNER).plain_text()

    story.command("/report", user=ALICE, text="t1 done https://example.com/q3.pdf")
    delivered = story.dm(OWNER)
    assert "delivered" in delivered.plain_text()
    story.click(delivered, "Approve", user=OWNER)
    assert "approved" in story.dm(ALICE).plain_text()
    story.command("/tasks", user=OWNER, text="T-1")
    history = story.ephemeral(OWNER).plain_text()
    for step in ("created", "accepted", "reported", "delivered", "approved"):
        assert step in history
