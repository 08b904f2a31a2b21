"""Synthetic DataFrames with realistic schemas, rebuilt from (schema, seed) anywhere.

A frame is described by a small picklable ``FrameSpec`` so validation workers (local
processes or Ray tasks) rebuild it instead of receiving it. Schemas cover what users
plot: time series, categories, measurements, geography, wide and long forms, with
missing values and dates stored as strings, because those are where generated code
breaks. ``roles`` tells the program generator which columns can play which part.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

REGIONS = ["North", "South", "East", "West", "Central"]
PRODUCTS = ["Laptop", "Phone", "Tablet", "Monitor", "Headset", "Camera"]
STATIONS = ["Alpha", "Bravo", "Charlie", "Delta"]
CITIES = [
    ("Lisbon", "Portugal", 38.7, -9.1),
    ("Madrid", "Spain", 40.4, -3.7),
    ("Paris", "France", 48.9, 2.35),
    ("Berlin", "Germany", 52.5, 13.4),
    ("Rome", "Italy", 41.9, 12.5),
    ("Vienna", "Austria", 48.2, 16.4),
    ("Warsaw", "Poland", 52.2, 21.0),
    ("Oslo", "Norway", 59.9, 10.8),
    ("Athens", "Greece", 38.0, 23.7),
    ("Dublin", "Ireland", 53.3, -6.3),
]
COUNTRIES = ["Brazil", "Canada", "India", "Japan", "Kenya", "Mexico"]


@dataclass(frozen=True)
class FrameSpec:
    """Which schema, which seed: enough to rebuild the same frame in any process."""

    schema: str
    seed: int


def _sales(rng: np.random.Generator) -> pd.DataFrame:
    n = int(rng.integers(40, 120))
    frame = pd.DataFrame(
        {
            "order_date": pd.date_range("2023-01-01", periods=n, freq="D"),
            "region": rng.choice(REGIONS, n),
            "product": rng.choice(PRODUCTS, n),
            "units": rng.integers(1, 50, n),
            "unit_price": rng.uniform(20, 900, n).round(2),
        }
    )
    frame["revenue"] = (frame["units"] * frame["unit_price"]).round(2)
    frame.loc[rng.random(n) < 0.05, "unit_price"] = np.nan  # real exports have gaps
    return frame


def _timeseries(rng: np.random.Generator) -> pd.DataFrame:
    n = int(rng.integers(30, 90))
    dates = pd.date_range("2022-01-01", periods=n, freq="W")
    walk = 100 + rng.normal(0, 2, n).cumsum()
    return pd.DataFrame(
        {
            "date": dates.strftime("%Y-%m-%d"),  # dates as strings, as read from CSV
            "price": walk.round(2),
            "volume": rng.integers(1_000, 20_000, n),
            "ticker": rng.choice(["AAA", "BBB", "CCC"], n),
        }
    )


def _measurements(rng: np.random.Generator) -> pd.DataFrame:
    n = int(rng.integers(50, 150))
    temperature = rng.normal(18, 6, n).round(1)
    return pd.DataFrame(
        {
            "station": rng.choice(STATIONS, n),
            "temperature": temperature,
            "humidity": np.clip(80 - temperature * 1.2 + rng.normal(0, 5, n), 5, 100).round(1),
            "pressure": rng.normal(1013, 8, n).round(1),
            "wind_speed": np.abs(rng.normal(12, 5, n)).round(1),
        }
    )


def _geography(rng: np.random.Generator) -> pd.DataFrame:
    rows = [(c, k, lat, lon) for c, k, lat, lon in CITIES]
    frame = pd.DataFrame(rows, columns=["city", "country", "latitude", "longitude"])
    frame["population"] = rng.integers(300_000, 4_000_000, len(frame))
    frame["area_km2"] = rng.uniform(80, 900, len(frame)).round(1)
    frame["density"] = (frame["population"] / frame["area_km2"]).round(1)
    return frame


def _wide(rng: np.random.Generator) -> pd.DataFrame:
    years = list(range(2010, 2010 + int(rng.integers(8, 14))))
    frame = pd.DataFrame({"year": years})
    for country in rng.choice(COUNTRIES, 3, replace=False):
        frame[country] = (rng.uniform(1, 5) + rng.normal(0.3, 0.2, len(years)).cumsum()).round(2)
    return frame


def _long(rng: np.random.Generator) -> pd.DataFrame:
    wide = _wide(rng)
    return wide.melt(id_vars="year", var_name="country", value_name="gdp_growth")


def _survey(rng: np.random.Generator) -> pd.DataFrame:
    n = int(rng.integers(60, 160))
    frame = pd.DataFrame(
        {
            "age": rng.integers(18, 75, n),
            "income": rng.lognormal(10.5, 0.4, n).round(0),
            "satisfaction": rng.integers(1, 6, n),
            "gender": rng.choice(["female", "male", "other"], n, p=[0.48, 0.48, 0.04]),
            "education": rng.choice(["high school", "bachelor", "master", "phd"], n),
        }
    )
    frame.loc[rng.random(n) < 0.08, "income"] = np.nan
    return frame


BUILDERS = {
    "sales": _sales,
    "timeseries": _timeseries,
    "measurements": _measurements,
    "geography": _geography,
    "wide": _wide,
    "long": _long,
    "survey": _survey,
}

#: Which columns can play which part in a chart, per schema.
ROLES: dict[str, dict[str, list[str]]] = {
    "sales": {
        "time": ["order_date"],
        "num": ["revenue", "units", "unit_price"],
        "cat": ["region", "product"],
    },
    "timeseries": {"time_str": ["date"], "num": ["price", "volume"], "cat": ["ticker"]},
    "measurements": {"num": ["temperature", "humidity", "pressure", "wind_speed"], "cat": ["station"]},
    "geography": {
        "num": ["population", "density", "area_km2"],
        "cat": ["city", "country"],
        "geo": ["longitude", "latitude"],
    },
    "wide": {"year": ["year"], "wide": []},
    "long": {"year": ["year"], "num": ["gdp_growth"], "cat": ["country"]},
    "survey": {"num": ["income", "age", "satisfaction"], "cat": ["education", "gender"]},
}


def build_frame(spec: FrameSpec) -> pd.DataFrame:
    """The frame for ``spec`` (deterministic)."""
    return BUILDERS[spec.schema](np.random.default_rng(spec.seed))


def roles(spec: FrameSpec, frame: pd.DataFrame) -> dict[str, list[str]]:
    """Column roles for this frame (wide frames name their value columns at build time)."""
    found = {key: list(value) for key, value in ROLES[spec.schema].items()}
    if spec.schema == "wide":
        found["wide"] = [c for c in frame.columns if c != "year"]
    return found
