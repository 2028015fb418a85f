"""The per-level aggregation of measures equals the plain definition: each kind is required by every counted
record whose level carries it; it starts at the earliest rectification end and ends at the latest expiry."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from credit.engines import rating as engine
from credit.services.ratings import RESTRICT, SUSPEND_ALL, RecordFacts, _desired_measures

LEVELS = list(engine.LEVELS_2020)
records = st.lists(
    st.tuples(st.sampled_from(LEVELS), st.integers(0, 400), st.integers(0, 1000), st.sets(st.integers(1, 5))),
    max_size=8,
)


def naive(record_levels, facts):
    desired = {}
    for reference, level in record_levels:
        for kind in engine.MEASURES[level]:
            desired.setdefault(kind, []).append(reference)
    result = {}
    for kind, references in desired.items():
        chosen = [facts[r] for r in references]
        unnamed = any(not f.product_ids for f in chosen)
        all_products = kind in SUSPEND_ALL or (kind in RESTRICT and unnamed)
        products = set().union(*(f.product_ids for f in chosen)) if kind in RESTRICT and not all_products else set()
        result[kind] = {
            "records": sorted(references),
            "level": max((level for r, level in record_levels if r in references), key=LEVELS.index),
            "starts_on": min(f.measures_from for f in chosen),
            "ends_on": max(f.expires_on for f in chosen),
            "products": products,
            "all": all_products,
        }
    return result


@given(records)
def test_aggregation_equals_the_definition(rows):
    base = date(2026, 1, 1)
    record_levels, facts = [], {}
    for index, (level, start, end, products) in enumerate(rows):
        reference = f"CR-{index:06d}"
        record_levels.append((reference, level))
        facts[reference] = RecordFacts(index, base + timedelta(days=start), base + timedelta(days=end), products)
    rating = engine.Rating("1", "none", engine.Decimal(0), (), (), (), (), (), (), tuple(record_levels))
    assert _desired_measures(rating, facts, "2020") == naive(record_levels, facts)
