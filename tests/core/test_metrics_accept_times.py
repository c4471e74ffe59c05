"""The team's time to accept: every accepted offer made in the window, whoever received it."""

from __future__ import annotations

from datetime import timedelta

from bot.core.metrics import accept_times, median_time_to_accept
from tests.core.summary_cases import BOB, NOW, Tale, hours

SINCE = hours(-30 * 24)


def test_each_accepted_offer_in_the_window_counts_from_its_own_offer() -> None:
    histories = [
        Tale(1, at=-10, due=48).accept(-7).history,  # 3 h
        # Offered to Alice 20 h ago, moved to Bob 12 h ago, accepted 2 h later: 2 h for Bob's offer.
        Tale(2, at=-20, due=48).reassign(BOB, -12).accept(-10).history,
        Tale(3, at=-5, due=48).decline(-4).history,  # declined: no time to accept
        Tale(4, at=-2, due=48).history,  # not answered yet
        Tale(5, at=-31 * 24, due=48).accept(-31 * 24 + 1).history,  # offered before the window
    ]
    assert sorted(accept_times(histories, since=SINCE, now=NOW)) == [timedelta(hours=2), timedelta(hours=3)]
    assert median_time_to_accept(histories, since=SINCE, now=NOW) == timedelta(hours=2, minutes=30)


def test_no_accepted_offer_has_no_median() -> None:
    assert median_time_to_accept([Tale(1, at=-2, due=48).history], since=SINCE, now=NOW) is None


def test_offers_made_at_either_end_of_the_window_count() -> None:
    histories = [
        Tale(1, at=-30 * 24, due=48).accept(-30 * 24 + 1).history,  # offered as the window opens: 1 h
        Tale(2, at=0, due=48).accept(0).history,  # offered and accepted at NOW: no time at all
    ]
    assert sorted(accept_times(histories, since=SINCE, now=NOW)) == [timedelta(0), timedelta(hours=1)]
