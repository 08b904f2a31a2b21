"""Pivot tables, period indexes, CRM exports and a meter log: label shapes a report or export leaves
behind."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import register, rng, text

#: Rows of the meter log, built with numpy alone so the frame stays quick to make.
METER_ROWS = 1_000_000


@register("economics", "period", "named_index", "spaces")
def gdp_quarterly() -> pd.DataFrame:
    """Quarterly GDP growth per economy, indexed by a named quarterly PeriodIndex."""
    gen = rng("gdp_quarterly")
    quarters = pd.period_range("2015Q1", "2024Q4", freq="Q", name="quarter")
    economies = ["United States", "Euro area", "Japan", "United Kingdom", "Canada"]
    data = {e: np.round(gen.normal(0.5, 0.6, len(quarters)), 2) for e in economies}
    frame = pd.DataFrame(data, index=quarters)
    frame.loc[pd.Period("2020Q2", freq="Q")] = np.round(gen.uniform(-12, -6, len(economies)), 2)
    return frame


@register("demographics", "numeric_labels", "multiindex_rows", "named_index", "unicode")
def country_population() -> pd.DataFrame:
    """Population in millions per (continent, country), one integer-labelled column per census year."""
    gen = rng("country_population")
    countries = [
        ("Europe", "Deutschland"),
        ("Europe", "España"),
        ("Europe", "Österreich"),
        ("Asia", "日本"),
        ("Asia", "India"),
        ("Africa", "Côte d'Ivoire"),
        ("Africa", "Nigeria"),
        ("Americas", "Brasil"),
        ("Americas", "México"),
    ]
    index = pd.MultiIndex.from_tuples(countries, names=["continent", "country"])
    years = list(range(1990, 2030, 5))
    start = np.array([79.4, 38.9, 7.7, 123.5, 870.5, 12.2, 95.2, 149.4, 83.9])  # 1990, rounded
    growth = np.array([1.001, 1.005, 1.004, 1.0, 1.016, 1.025, 1.026, 1.011, 1.014]) + gen.normal(
        0, 0.0005, 9
    )
    values = np.round(start[:, None] * growth[:, None] ** (5 * np.arange(len(years)))[None, :], 1)
    return pd.DataFrame(values, index=index, columns=years)


@register("crm", "mixed_object", "lookalike_labels", "string")
def crm_contacts() -> pd.DataFrame:
    """Contacts merged from two CRMs: look-alike columns and a deal size typed by hand."""
    gen = rng("crm_contacts")
    n = 200
    deal: list[object] = [int(v) for v in np.round(gen.lognormal(9, 1, n), -2)]
    for i in gen.choice(n, 40, replace=False):
        deal[i] = gen.choice([f"{deal[i]:,}", "tbd", None, f"{deal[i] / 1000:.0f}k"])
    stage = gen.choice(["Lead", "Qualified", "Proposal", "Won", "Lost"], n)
    return pd.DataFrame(
        {
            "Contact": text([f"contact {i}" for i in range(n)]),
            "Stage": text(stage),
            "stage": text(np.where(gen.random(n) < 0.8, stage, "Lead")),
            "Deal size": pd.Series(deal, dtype=object),
            "Deal Size (old)": np.round(gen.lognormal(9, 1, n), -2),
            "Owner": pd.Series(
                [o if gen.random() < 0.9 else 7 for o in gen.choice(["Kim", "Lee", "Ng"], n)], dtype=object
            ),
        }
    )


@register("retail", "multiindex_columns", "numeric_labels", "named_index")
def store_kpi_pivot() -> pd.DataFrame:
    """A pivot of store KPIs: (metric, year) column pairs with integer years, stores as the index."""
    gen = rng("store_kpi_pivot")
    stores = pd.Index(["Berlin", "Hamburg", "Köln", "Leipzig", "Bremen", "Dresden"], name="store")
    columns = pd.MultiIndex.from_product(
        [["revenue", "footfall", "basket size"], [2022, 2023, 2024]], names=["metric", "year"]
    )
    scale = {"revenue": 1e6, "footfall": 1e5, "basket size": 30.0}
    values = np.column_stack(
        [
            np.round(scale[m] * gen.uniform(0.6, 1.4, len(stores)) * (1 + 0.05 * (y - 2022)), 1)
            for m, y in columns
        ]
    )
    return pd.DataFrame(values, index=stores, columns=columns)


@register("energy", "long", "datetime_s", "category")
def smart_meter_log() -> pd.DataFrame:
    """A million smart-meter readings (one per meter every 15 minutes) with the tariff in force."""
    gen = rng("smart_meter_log")
    meters = 1000
    steps = METER_ROWS // meters
    start = np.datetime64("2024-01-01T00:00:00", "s")
    stamps = start + (np.arange(steps) * 900).astype("timedelta64[s]")
    hour = (np.arange(steps) * 900 // 3600) % 24
    tariff = np.where((hour >= 7) & (hour < 22), 1, 0).astype(np.int8)
    kwh = gen.gamma(2.0, 0.08, METER_ROWS) * np.tile(1 + 0.6 * tariff, meters)
    return pd.DataFrame(
        {
            "meter_id": np.repeat(np.arange(meters, dtype=np.int32), steps),
            "reading_time": pd.Series(np.tile(stamps, meters), dtype="datetime64[s]"),
            "kWh": kwh.astype(np.float32),
            "tariff": pd.Categorical.from_codes(np.tile(tariff, meters), categories=["off-peak", "peak"]),
        }
    )


@register("transport", "numeric_labels", "named_index", "category")
def bike_rentals_by_hour() -> pd.DataFrame:
    """Mean bike rentals per weekday (rows, a named ordered index) and hour of day (integer columns 0-23)."""
    gen = rng("bike_rentals_by_hour")
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    hours = np.arange(24)
    commute = np.exp(-((hours - 8) ** 2) / 3) + np.exp(-((hours - 17.5) ** 2) / 4)
    leisure = np.exp(-((hours - 14) ** 2) / 12)
    rows = [
        np.round(
            120 * (commute if i < 5 else 0.2 * commute)
            + 90 * leisure * (1 if i < 5 else 2.2)
            + gen.uniform(5, 15, 24)
        )
        for i in range(7)
    ]
    index = pd.CategoricalIndex(days, categories=days, ordered=True, name="weekday")
    return pd.DataFrame(np.array(rows, dtype=int), index=index, columns=list(hours))


@register("transport", "long", "datetime_us", "string")
def taxi_trips() -> pd.DataFrame:
    """A million taxi trips: pickup time, distance, fare, tip and payment type."""
    gen = rng("taxi_trips")
    start = np.datetime64("2024-03-01T00:00:00", "us").astype(np.int64)
    pickup = start + np.sort(gen.integers(0, 31 * 86400 * 10**6, METER_ROWS))
    miles = gen.lognormal(0.6, 0.8, METER_ROWS).astype(np.float32)
    fare = (3.0 + 2.5 * miles + gen.normal(0, 1.0, METER_ROWS)).clip(3.0).astype(np.float32)
    payment = np.array(["card", "cash", "app"])[gen.choice(3, METER_ROWS, p=[0.7, 0.2, 0.1])]
    tip = np.where(payment == "cash", 0.0, fare * gen.uniform(0.0, 0.25, METER_ROWS)).astype(np.float32)
    return pd.DataFrame(
        {
            "pickup_time": pickup.astype("datetime64[us]"),
            "trip_miles": miles,
            "fare": fare,
            "tip": tip,
            "payment": text(payment),
        }
    )
