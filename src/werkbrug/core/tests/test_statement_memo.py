"""The statements a process keeps (core.statements): the least recently used go first."""

from werkbrug.core.statements import Memo


def test_a_full_memo_drops_the_least_recently_used_statement_only():
    memo: Memo[str] = Memo(3)
    for key in ("a", "b", "c"):
        memo.put(key, key.upper())
    assert memo.get("a") == "A"  # "a" is used again: "b" is now the oldest
    memo.put("d", "D")
    assert len(memo) == 3
    assert memo.get("b") is None
    assert [memo.get(key) for key in ("a", "c", "d")] == ["A", "C", "D"]


def test_putting_a_kept_key_again_replaces_it_without_dropping_another():
    memo: Memo[int] = Memo(2)
    memo.put("a", 1)
    memo.put("b", 2)
    memo.put("a", 3)
    assert len(memo) == 2 and memo.get("a") == 3 and memo.get("b") == 2
    memo.clear()
    assert len(memo) == 0 and memo.get("a") is None
