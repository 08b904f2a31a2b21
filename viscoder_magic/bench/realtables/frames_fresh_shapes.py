"""Frames of the ``fresh`` split whose difficulty is their shape: indexes, wide, long and sparse tables.

Like ``frames_fresh``, these are new domains (agriculture, oceanography, elections, public
transit, telecom, soil chemistry, IT operations), so the fresh split tests the same shapes as
the old halves on tables nobody wrote rules from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .frames_fresh import FRESH
from .registry import register, rng, text, with_missing

#: Rows of the long frame: enough that a per-row Python loop in generated code is too slow.
LONG_ROWS = 1_000_000


@register("agriculture", "multiindex_rows", "named_index", "units", split=FRESH)
def crop_yields() -> pd.DataFrame:
    """Harvest statistics indexed by (region, crop, year), as ``groupby(...).agg`` leaves them."""
    gen = rng("crop_yields")
    regions = ["Bavaria", "Lower Saxony", "Brandenburg", "Saxony-Anhalt"]
    crops = ["wheat", "barley", "maize", "rapeseed", "potatoes"]
    years = list(range(2014, 2025))
    index = pd.MultiIndex.from_product([regions, crops, years], names=["region", "crop", "year"])
    n = len(index)
    typical = {"wheat": 7.5, "barley": 6.5, "maize": 9.5, "rapeseed": 3.6, "potatoes": 42.0}
    crop = index.get_level_values("crop")
    rain = gen.normal(650, 120, n).clip(350, 1000)
    drought = np.isin(index.get_level_values("year"), [2018, 2022])
    yields = (
        np.array([typical[c] for c in crop])
        * (1 - 0.25 * drought)
        * (rain / 650) ** 0.3
        * gen.normal(1, 0.06, n)
    )
    return pd.DataFrame(
        {
            "yield (t/ha)": np.round(yields, 2),
            "area harvested (ha)": np.round(gen.lognormal(10.5, 0.8, n), -1),
            "rainfall (mm)": np.round(rain * (1 - 0.3 * drought)),
            "fertilizer kg/ha": np.round(gen.normal(160, 30, n)),
            "price €/t": np.round(gen.normal(210, 40, n), 1),
        },
        index=index,
    )


@register(
    "oceanography",
    "datetime_index",
    "named_index",
    "datetime_ms",
    "units",
    "nan_heavy",
    "category",
    split=FRESH,
)
def ocean_buoys() -> pd.DataFrame:
    """Three-hourly readings from three moored buoys, indexed by observation time; swell period is
    mostly not reported."""
    gen = rng("ocean_buoys")
    times = pd.date_range("2024-01-01", "2024-06-30 21:00", freq="3h", unit="ms")
    n = len(times)
    frames = []
    for buoy, offset in (("Station 41001", 0.0), ("Station 44025", -3.0), ("Station 46042", 1.5)):
        day = np.arange(n) / 8
        wave = np.clip(1.8 + offset * 0.2 + 0.8 * np.sin(day / 9) + gen.gamma(1.5, 0.4, n), 0.2, None)
        frames.append(
            pd.DataFrame(
                {
                    "buoy": buoy,
                    "wave height (m)": np.round(wave, 2),
                    "sea temp °C": np.round(12 + offset + day / 25 + gen.normal(0, 0.4, n), 1),
                    "wind speed (kn)": np.round(np.clip(gen.normal(14, 6, n) + wave * 2, 0, None), 1),
                    "pressure (hPa)": np.round(1013 + np.cumsum(gen.normal(0, 0.8, n)) * 0.3, 1),
                    "swell period (s)": with_missing(np.round(gen.normal(9, 2, n), 1), 0.8, gen).to_numpy(),
                },
                index=pd.DatetimeIndex(times, name="observed_at"),
            )
        )
    frame = pd.concat(frames).sort_index(kind="stable")
    frame["buoy"] = pd.Categorical(frame["buoy"])
    return frame


@register("elections", "multiindex_columns", "named_index", "unicode", "string", split=FRESH)
def election_results() -> pd.DataFrame:
    """Votes and vote share per party and canton, with (party, measure) column pairs as a results
    export prints them."""
    gen = rng("election_results")
    cantons = [
        "Zürich",
        "Bern",
        "Genève",
        "Vaud",
        "Ticino",
        "Graubünden",
        "Neuchâtel",
        "Luzern",
        "St. Gallen",
        "Basel-Stadt",
    ]
    parties = ["SVP", "SP", "FDP", "Die Mitte", "Grüne", "GLP"]
    # Rough electorates, so the big cantons really cast more votes (totals per party depend on it).
    electorate = np.array(
        [980_000, 740_000, 270_000, 460_000, 230_000, 140_000, 110_000, 290_000, 330_000, 120_000]
    ) * gen.uniform(0.97, 1.03, len(cantons))
    turnout = gen.uniform(0.38, 0.55, len(cantons))
    shares = gen.dirichlet([6, 4, 3.5, 3, 2.5, 2], len(cantons))
    votes = np.round(shares * (electorate * turnout)[:, None]).astype(int)
    columns = pd.MultiIndex.from_product([parties, ["votes", "share %"]], names=["party", "measure"])
    values = np.empty((len(cantons), len(columns)))
    values[:, 0::2] = votes
    values[:, 1::2] = np.round(100 * votes / votes.sum(axis=1, keepdims=True), 1)
    frame = pd.DataFrame(values, index=pd.Index(text(cantons), name="canton"), columns=columns)
    for party in parties:
        frame[(party, "votes")] = frame[(party, "votes")].astype(int)
    return frame


@register("public transit", "wide", "datetime_index", "named_index", "spaces", split=FRESH)
def metro_station_entries() -> pd.DataFrame:
    """Daily entries at 120 metro stations (one column each), indexed by service day, as a ridership
    dashboard exports."""
    gen = rng("metro_station_entries")
    days = pd.date_range("2024-02-01", periods=182, freq="D", name="service day")
    lines = ["Red", "Blue", "Green", "Orange"]
    names = [f"{lines[i % 4]} Line {i // 4 + 1:02d}" for i in range(120)]
    base = gen.lognormal(8.5, 0.7, 120)
    weekday = np.where(days.day_of_week < 5, 1.0, 0.55)
    values = base[None, :] * weekday[:, None] * gen.lognormal(0, 0.08, (len(days), 120))
    return pd.DataFrame(np.round(values).astype(int), index=days, columns=names)


@register("telecom", "long", "datetime_us", "category", "units", split=FRESH)
def call_records() -> pd.DataFrame:
    """A million call-detail records from one network day: microsecond start times, call type,
    duration, data used."""
    gen = rng("call_records")
    start = np.datetime64("2024-05-14T00:00:00", "us").astype(np.int64)
    # Calls cluster in the day: a mixture of two daytime peaks instead of a uniform draw.
    hours = np.where(
        gen.random(LONG_ROWS) < 0.55, gen.normal(11, 2.5, LONG_ROWS), gen.normal(18.5, 2.5, LONG_ROWS)
    )
    offsets = (np.clip(hours, 0, 23.999) * 3600 * 10**6).astype(np.int64)
    kinds = ["voice", "video", "sms", "data"]
    codes = gen.choice(len(kinds), LONG_ROWS, p=[0.35, 0.1, 0.25, 0.3]).astype(np.int8)
    duration = gen.exponential(140, LONG_ROWS).astype(np.float32)
    duration[codes == 2] = 0.0
    return pd.DataFrame(
        {
            "call_start": np.sort(start + offsets).astype("datetime64[us]"),
            "cell_id": gen.integers(1000, 1400, LONG_ROWS, dtype=np.int16),
            "call_type": pd.Categorical.from_codes(codes, categories=kinds),
            "duration (s)": duration,
            "data (MB)": np.where(codes == 3, gen.lognormal(2, 1.2, LONG_ROWS), 0.0).astype(np.float32),
            "roaming": gen.random(LONG_ROWS) < 0.03,
        }
    )


@register("soil chemistry", "nan_heavy", "units", "string", "Int64", split=FRESH)
def soil_samples() -> pd.DataFrame:
    """A contaminated-land survey: every core has pH, but each metal was assayed for only some of them."""
    gen = rng("soil_samples")
    n = 640
    sites = ["Former gasworks", "Rail yard", "Allotments", "School field", "Riverside park"]
    site = gen.choice(sites, n)
    dirty = np.isin(site, ["Former gasworks", "Rail yard"])
    frame = pd.DataFrame(
        {
            "sample_id": text([f"S{i:04d}" for i in range(n)]),
            "site": text(site),
            "depth_cm": with_missing(gen.choice([10, 30, 50, 100], n), 0.1, gen, "Int64"),
            "pH": np.round(gen.normal(6.6, 0.6, n), 2),
            "organic C %": np.round(gen.gamma(2, 1.2, n), 2),
        }
    )
    metals = {
        "Pb (mg/kg)": (60, 5, 0.55),
        "As (mg/kg)": (9, 3, 0.7),
        "Cd (mg/kg)": (0.4, 4, 0.85),
        "Hg (mg/kg)": (0.1, 6, 0.92),
    }
    for name, (level, factor, share_missing) in metals.items():
        values = gen.lognormal(np.log(level), 0.6, n) * np.where(dirty, factor, 1.0)
        frame[name] = with_missing(np.round(values, 3), share_missing, gen)
    return frame


@register("it operations", "multiindex_columns", "datetime_index", "named_index", "tz", split=FRESH)
def api_latency() -> pd.DataFrame:
    """Per-minute latency percentiles for four API endpoints, (endpoint, percentile) columns over a
    UTC minute index."""
    gen = rng("api_latency")
    minutes = pd.date_range("2024-11-05 08:00", periods=720, freq="min", tz="UTC", name="minute")
    endpoints = ["/login", "/search", "/checkout", "/api/v2/items"]
    columns = pd.MultiIndex.from_product(
        [endpoints, ["p50 ms", "p95 ms", "p99 ms"]], names=["endpoint", "percentile"]
    )
    values = np.empty((len(minutes), len(columns)))
    incident = (np.arange(len(minutes)) >= 300) & (np.arange(len(minutes)) < 340)
    for i, base in enumerate([45.0, 120.0, 210.0, 80.0]):
        p50 = base * gen.lognormal(0, 0.1, len(minutes)) * np.where(incident & (i == 2), 4.0, 1.0)
        p95 = p50 * gen.uniform(2.0, 3.0, len(minutes))
        values[:, 3 * i : 3 * i + 3] = np.round(
            np.column_stack([p50, p95, p95 * gen.uniform(1.3, 2.2, len(minutes))]), 1
        )
    return pd.DataFrame(values, index=minutes, columns=columns)
