"""Frames whose difficulty is their shape: very wide, very long, sparse, mixed or oddly labelled."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import register, rng, text, with_missing

#: Rows of the long frame: enough that a per-row Python loop in generated code is too slow.
LONG_ROWS = 1_000_000


@register("biology", "wide", "named_index", "category")
def gene_expression() -> pd.DataFrame:
    """Expression of 150 genes (columns) in 48 samples (rows), plus the sample's condition."""
    gen = rng("gene_expression")
    samples = pd.Index([f"sample_{i:02d}" for i in range(48)], name="sample")
    condition = np.repeat(["control", "treated", "knockout"], 16)
    effect = gen.normal(0, 1.2, 150) * (gen.random(150) < 0.2)
    shift = np.select([condition == "treated", condition == "knockout"], [1.0, -1.0], 0.0)
    values = gen.normal(6, 1.5, (48, 150)) + np.outer(shift, effect)
    frame = pd.DataFrame(np.round(values, 3), index=samples, columns=[f"GENE{g:03d}" for g in range(150)])
    frame.insert(0, "condition", pd.Categorical(condition))
    return frame


@register("web", "long", "datetime_ns", "category")
def clickstream() -> pd.DataFrame:
    """One million click events over a week: nanosecond timestamps, users, event type, latency."""
    gen = rng("clickstream")
    start = np.datetime64("2024-09-02T00:00:00", "ns").astype(np.int64)
    stamps = start + np.sort(gen.integers(0, 7 * 86400 * 10**9, LONG_ROWS))
    events = ["page_view", "click", "scroll", "add_to_cart", "purchase"]
    codes = gen.choice(len(events), LONG_ROWS, p=[0.5, 0.25, 0.2, 0.04, 0.01]).astype(np.int8)
    return pd.DataFrame(
        {
            "timestamp": stamps.astype("datetime64[ns]"),
            "user_id": gen.integers(0, 50_000, LONG_ROWS, dtype=np.int32),
            "event": pd.Categorical.from_codes(codes, categories=events),
            "latency_ms": gen.lognormal(4.5, 0.6, LONG_ROWS).astype(np.float32),
        }
    )


@register("finance", "mixed_object")
def legacy_import() -> pd.DataFrame:
    """Invoices pasted from an old system: amounts are numbers or text, codes are ints or strings."""
    gen = rng("legacy_import")
    n = 150
    amounts: list[object] = [round(float(v), 2) for v in gen.lognormal(5, 1, n)]
    for i in gen.choice(n, 30, replace=False):
        amounts[i] = gen.choice([f"{amounts[i]}", "n/a", None, f"${amounts[i]}"])
    codes: list[object] = [int(c) if gen.random() < 0.6 else f"C-{int(c)}" for c in gen.integers(100, 999, n)]
    return pd.DataFrame(
        {
            "invoice": np.arange(5000, 5000 + n),
            "customer": text(gen.choice(["Acme Corp", "Globex", "Initech", "Hooli", "Vandelay"], n)),
            "amount": pd.Series(amounts, dtype=object),
            "code": pd.Series(codes, dtype=object),
            "paid": pd.Series([bool(v) if v < 0.9 else "unknown" for v in gen.random(n)], dtype=object),
        }
    )


@register("health", "nan_heavy", "units", "string")
def lab_results_sparse() -> pd.DataFrame:
    """A lab panel where each test was ordered for few patients, so most cells are empty."""
    gen = rng("lab_results_sparse")
    n = 500
    frame = pd.DataFrame(
        {
            "patient": text([f"P{i:04d}" for i in range(n)]),
            "ward": text(gen.choice(["ICU", "Cardiology", "Oncology", "General"], n)),
        }
    )
    tests = {
        "glucose (mg/dL)": (100, 25, 0.3),
        "HbA1c %": (5.8, 0.9, 0.8),
        "CRP (mg/L)": (8, 10, 0.6),
        "troponin (ng/L)": (12, 20, 0.9),
        "ferritin (ng/mL)": (120, 80, 0.85),
    }
    for name, (mean, sd, share_missing) in tests.items():
        frame[name] = with_missing(np.round(np.abs(gen.normal(mean, sd, n)), 2), share_missing, gen)
    return frame


@register("apps", "unicode", "string", "category")
def app_store_ratings() -> pd.DataFrame:
    """App ratings with accented, non-Latin and emoji app names, as a store scrape returns them."""
    gen = rng("app_store_ratings")
    apps = [
        "Café Finder ☕",
        "Déjà Vu Notes",
        "Ñandú Run",
        "日本語 Tutor",
        "Ölçer Pro",
        "Smørrebrød Recipes",
        "Ελληνικά Quiz",
        "Budget 💰",
    ]
    n = 1600
    names = gen.choice(apps, n)
    base = {a: gen.uniform(3.0, 4.7) for a in apps}
    stars = np.clip(np.round([base[a] + gen.normal(0, 1.0) for a in names]), 1, 5).astype(int)
    return pd.DataFrame(
        {
            "app": text(names),
            "genre": pd.Categorical(gen.choice(["Food", "Education", "Finance", "Fitness"], n)),
            "stars": stars,
            "review_words": gen.poisson(25, n),
            "version": text(gen.choice(["1.0", "1.1", "2.0"], n)),
        }
    )


@register("transport", "string", "datetime_ms", "Int64", "units")
def flights() -> pd.DataFrame:
    """Domestic flights: carrier, route, distance and delays (cancelled flights have no delay)."""
    gen = rng("flights")
    n = 3000
    airports = ["ATL", "DFW", "DEN", "ORD", "LAX", "JFK", "SEA", "MIA"]
    origin = gen.choice(airports, n)
    dest = np.array([gen.choice([a for a in airports if a != o]) for o in origin])
    departure = np.datetime64("2024-07-01T05:00", "ms") + gen.integers(0, 31 * 86400, n).astype(
        "timedelta64[s]"
    )
    dep_delay = np.round(gen.exponential(14, n) - 6)
    return pd.DataFrame(
        {
            "carrier": text(gen.choice(["Delta", "United", "American", "Southwest", "Alaska"], n)),
            "origin": text(origin),
            "dest": text(dest),
            "scheduled_departure": pd.Series(departure, dtype="datetime64[ms]"),
            "distance (mi)": gen.integers(200, 2700, n),
            "dep_delay_min": with_missing(dep_delay.astype(int), 0.02, gen, "Int64"),
            "arr_delay_min": with_missing(
                (dep_delay + gen.normal(-3, 9, n)).round().astype(int), 0.02, gen, "Int64"
            ),
        }
    )


@register("marketing", "spaces", "category", "datetime_s")
def marketing_campaigns() -> pd.DataFrame:
    """Campaign totals per channel: spend and reach span orders of magnitude (log scales help)."""
    gen = rng("marketing_campaigns")
    n = 90
    channel = gen.choice(["Search", "Social", "Display", "Email", "TV", "Podcast"], n)
    spend = np.round(gen.lognormal(9, 1.4, n), 2)
    impressions = np.round(spend * gen.lognormal(4, 0.8, n))
    clicks = np.round(impressions * gen.uniform(0.002, 0.04, n))
    return pd.DataFrame(
        {
            "Campaign name": text([f"{c} #{i}" for i, c in enumerate(channel)]),
            "Channel": pd.Categorical(channel),
            "Spend": spend,
            "Impressions": impressions,
            "Clicks": clicks,
            "Conversions": np.round(clicks * gen.uniform(0.01, 0.1, n)),
            "Start date": pd.Series(
                np.datetime64("2024-01-01", "s") + gen.integers(0, 300, n).astype("timedelta64[D]"),
                dtype="datetime64[s]",
            ),
        }
    )


@register("retail", "boolean", "category", "string")
def product_reviews() -> pd.DataFrame:
    """Shop reviews: star rating, helpful votes (heavy-tailed), verified purchase and category."""
    gen = rng("product_reviews")
    n = 2000
    return pd.DataFrame(
        {
            "product_category": pd.Categorical(
                gen.choice(["Books", "Kitchen", "Toys", "Beauty", "Sports"], n)
            ),
            "rating": gen.choice([1, 2, 3, 4, 5], n, p=[0.08, 0.07, 0.12, 0.28, 0.45]),
            "helpful_votes": gen.zipf(2.2, n).clip(0, 5000) - 1,
            "verified_purchase": pd.array(gen.random(n) < 0.8, dtype="boolean"),
            "review_length": gen.lognormal(4, 0.9, n).round().astype(int),
            "title": text(gen.choice(["Great!", "Not worth it", "OK", "Love it", "Broke fast"], n)),
        }
    )
