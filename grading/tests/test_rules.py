"""Property tests of the pure grading logic."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from grading.models import CARD_RANK, Card
from grading.rules import Facts, RuleSpec, evaluate, fires

CODES = ["dibao", "tekun", "elderly_alone", "disability", "child_plight"]
cards = st.sampled_from([c.value for c in Card])
rules = st.builds(
    RuleSpec,
    card=cards,
    reason=st.text(min_size=1, max_size=5),
    categories=st.frozensets(st.sampled_from(CODES), max_size=2),
    min_age=st.one_of(st.none(), st.integers(0, 100)),
    instrument=st.one_of(st.none(), st.just("elderly_ability")),
    min_level=st.one_of(st.none(), st.integers(0, 4)),
)
facts = st.builds(
    Facts,
    categories=st.frozensets(st.sampled_from(CODES)),
    age=st.integers(0, 110),
    assessments=st.one_of(
        st.just({}), st.fixed_dictionaries({"elderly_ability": st.tuples(st.integers(0, 4), st.integers(0, 90))})
    ),
)


@given(st.lists(rules, max_size=6), cards, facts)
def test_it_always_grades_when_a_catch_all_is_present(rule_list: list, fallback: str, f: Facts) -> None:
    result = evaluate([*rule_list, RuleSpec(card=fallback, reason="兜底")], f)
    assert result is not None
    card, reasons = result
    fired = [r for r in [*rule_list, RuleSpec(card=fallback, reason="兜底")] if fires(r, f)]
    assert CARD_RANK[Card(card)] == min(CARD_RANK[Card(r.card)] for r in fired)
    assert reasons and all(any(r.reason == x and r.card == card for r in fired) for x in reasons)


@given(st.lists(rules, max_size=6), facts)
def test_it_never_gives_a_card_no_rule_fired_for(rule_list: list, f: Facts) -> None:
    result = evaluate(rule_list, f)
    fired = [r for r in rule_list if fires(r, f)]
    assert (result is None) == (not fired)
