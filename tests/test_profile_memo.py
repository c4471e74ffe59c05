"""Profiles remembered in memory are served only while the cache table would still serve them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services import profile_memo
from bot.services.profile_memo import ProfileMemo
from storage.models import UserProfile

FETCHED = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


def profile(user_id: str, team_id: str = "T1") -> UserProfile:
    return UserProfile(team_id=team_id, user_id=user_id, tz="UTC", fetched_at=FETCHED)


def test_a_remembered_profile_is_served_until_it_ages_like_the_table_row() -> None:
    memo = ProfileMemo(DAY)
    memo.keep([profile("U1")])
    assert list(memo.fresh(team_id="T1", user_ids=["U1", "U2"], now=FETCHED + DAY / 2)) == ["U1"]
    assert memo.fresh(team_id="T1", user_ids=["U1"], now=FETCHED + DAY) == {}  # stale: read again
    assert memo.fresh(team_id="T2", user_ids=["U1"], now=FETCHED) == {}  # another workspace's U1


def test_the_memo_is_bounded() -> None:
    memo = ProfileMemo(DAY)
    memo.keep(profile(f"U{n}") for n in range(profile_memo.MEMO_SIZE + 1))
    remembered = memo.fresh(
        team_id="T1", user_ids=[f"U{n}" for n in range(profile_memo.MEMO_SIZE + 1)], now=FETCHED
    )
    assert len(remembered) <= profile_memo.MEMO_SIZE
