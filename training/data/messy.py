"""Synthetic tables with the labels real exports have: spaces, units, NaN, categoricals, dates.

``frames.py`` builds clean snake_case schemas for the template programs; the loop also
needs the frames users actually hold, where the model breaks: ``"Load (MW)"`` as a
column name, a pandas ``str`` column, an ordered categorical, a named DatetimeIndex
instead of a date column, a wide frame with a dozen value columns. Each builder is
seeded, so a table is the same in every process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

SEEDS = (11, 23)


def _energy(rng: np.random.Generator) -> pd.DataFrame:
    index = pd.date_range("2024-03-01", periods=int(rng.integers(96, 240)), freq="h", name="timestamp")
    hours = index.hour.to_numpy()
    load = 900 + 250 * np.sin((hours - 6) / 24 * 2 * np.pi) + rng.normal(0, 40, len(index))
    frame = pd.DataFrame(
        {
            "Load (MW)": load.round(1),
            "Temp (°C)": (12 + 6 * np.sin((hours - 9) / 24 * 2 * np.pi) + rng.normal(0, 1, len(index))).round(
                1
            ),
            "Solar output (kW)": np.clip(500 * np.sin((hours - 6) / 12 * np.pi), 0, None).round(0),
        },
        index=index,
    )
    frame.loc[rng.random(len(frame)) < 0.04, "Temp (°C)"] = np.nan
    return frame


def _clinic(rng: np.random.Generator) -> pd.DataFrame:
    n = int(rng.integers(60, 180))
    wards = pd.array(rng.choice(["Ward A", "Ward B", "Intensive care", "Day clinic"], n), dtype="str")
    frame = pd.DataFrame(
        {
            "Ward name": wards,
            "Blood type": pd.Categorical(rng.choice(["O+", "A+", "B+", "AB+", "O-"], n)),
            "Age (years)": rng.integers(18, 95, n),
            "Weight [kg]": rng.normal(76, 14, n).round(1),
            "Stay length (days)": rng.gamma(2.0, 2.5, n).round(1),
        }
    )
    frame.loc[rng.random(n) < 0.07, "Weight [kg]"] = np.nan
    return frame


def _survey(rng: np.random.Generator) -> pd.DataFrame:
    n = int(rng.integers(80, 200))
    levels = ["Very unhappy", "Unhappy", "Neutral", "Happy", "Very happy"]
    return pd.DataFrame(
        {
            "Satisfaction level": pd.Categorical(rng.choice(levels, n), categories=levels, ordered=True),
            "Response time (s)": rng.lognormal(3, 0.6, n).round(1),
            "Customer segment": pd.array(
                rng.choice(["Retail", "Small business", "Enterprise"], n), dtype="str"
            ),
            "Monthly spend ($)": rng.lognormal(5, 0.9, n).round(2),
        }
    )


def _wide_sales(rng: np.random.Generator) -> pd.DataFrame:
    months = pd.date_range("2022-01-01", periods=int(rng.integers(12, 30)), freq="MS")
    frame = pd.DataFrame({"Month": months.strftime("%b %Y")})
    for product in ["Product A", "Product B", "Product C", "Spare parts", "Service plans", "Gift cards"]:
        base = rng.uniform(50, 400)
        frame[f"{product} (units)"] = (base + rng.normal(0, base / 8, len(frame)).cumsum()).round(0).clip(0)
    return frame


def _stock(rng: np.random.Generator) -> pd.DataFrame:
    index = pd.bdate_range("2023-01-02", periods=int(rng.integers(60, 250)), name="Date")
    close = 50 * np.exp(rng.normal(0.0005, 0.015, len(index)).cumsum())
    return pd.DataFrame(
        {
            "Close price ($)": close.round(2),
            "Volume (shares)": rng.integers(100_000, 2_000_000, len(index)),
            "Sector": pd.array(["Tech"] * len(index), dtype="str"),
        },
        index=index,
    )


def _lab_results(rng: np.random.Generator) -> pd.DataFrame:
    n = int(rng.integers(40, 120))
    dose = rng.choice([0.5, 1.0, 2.0, 5.0, 10.0], n)
    frame = pd.DataFrame(
        {
            "Sample ID": [f"S-{i:04d}" for i in range(n)],
            "Dose (mg/kg)": dose,
            "Response %": np.clip(
                100 / (1 + np.exp(-(np.log(dose) - 0.5))) + rng.normal(0, 6, n), 0, 100
            ).round(1),
            "Batch": pd.Categorical(rng.choice(["batch 1", "batch 2", "batch 3"], n)),
        }
    )
    frame.loc[rng.random(n) < 0.05, "Response %"] = np.nan
    return frame


BUILDERS: dict[str, Callable[[np.random.Generator], pd.DataFrame]] = {
    "energy": _energy,
    "clinic": _clinic,
    "survey": _survey,
    "wide_sales": _wide_sales,
    "stock": _stock,
    "lab_results": _lab_results,
}


def synthetic_frames(seeds: tuple[int, ...] = SEEDS) -> Iterator[tuple[str, pd.DataFrame]]:
    """(``synthetic.<builder>.<seed>``, frame) for every builder at every seed."""
    for name, builder in BUILDERS.items():
        for seed in seeds:
            yield f"synthetic.{name}.{seed}", builder(np.random.default_rng(seed))
