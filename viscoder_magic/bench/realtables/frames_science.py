"""Sensor, weather, health, energy and manufacturing frames: time stamps, units and gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import register, rng, text, with_missing

CITIES = ["München", "São Paulo", "Zürich", "Kraków", "東京", "Montréal"]


@register("sensors", "datetime_us", "category", "units", "unicode", "nan_heavy")
def sensor_readings() -> pd.DataFrame:
    """Ten-minute readings from four room sensors; the battery column is mostly empty (reported daily)."""
    gen = rng("sensor_readings")
    stamps = pd.date_range("2024-02-01", periods=1008, freq="10min").as_unit("us")
    sensors = ["lab-1", "lab-2", "office", "server room"]
    frame = pd.DataFrame(
        {"ts": np.repeat(stamps, len(sensors)), "sensor_id": pd.Categorical(np.tile(sensors, len(stamps)))}
    )
    hours = frame["ts"].dt.hour.to_numpy()
    base = np.where(frame["sensor_id"] == "server room", 27.0, 21.0)
    frame["temp °C"] = np.round(
        base + 2 * np.sin((hours - 8) / 24 * 2 * np.pi) + gen.normal(0, 0.3, len(frame)), 2
    )
    frame["humidity %"] = np.round(gen.normal(45, 6, len(frame)).clip(15, 90), 1)
    frame["pressure (hPa)"] = np.round(1013 + np.cumsum(gen.normal(0, 0.05, len(frame))), 1)
    frame["battery_V"] = with_missing(np.round(gen.uniform(3.3, 4.2, len(frame)), 2), 0.93, gen)
    return frame


@register("weather", "datetime_index", "named_index", "units", "unicode", "spaces")
def weather_daily() -> pd.DataFrame:
    """One station's daily weather for two years, indexed by a named date."""
    gen = rng("weather_daily")
    days = pd.date_range("2022-01-01", periods=730, freq="D", name="date")
    season = -np.cos((days.day_of_year.to_numpy() - 15) / 365 * 2 * np.pi)
    t_max = 14 + 11 * season + gen.normal(0, 3, len(days))
    rain = np.where(gen.random(len(days)) < 0.35, gen.gamma(1.2, 5, len(days)), 0.0)
    return pd.DataFrame(
        {
            "temp_max °C": t_max.round(1),
            "temp_min °C": (t_max - gen.uniform(5, 11, len(days))).round(1),
            "precip (mm)": rain.round(1),
            "wind km/h": gen.gamma(2.5, 6, len(days)).round(1),
            "sunshine hours": np.clip(6 + 4 * season + gen.normal(0, 2.5, len(days)), 0, 15).round(1),
        },
        index=days,
    )


@register("weather", "unicode", "string", "units", "category")
def city_climate() -> pd.DataFrame:
    """Long-term monthly means per city, in long form (city, month, temperature, rainfall)."""
    gen = rng("city_climate")
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    rows = []
    for city, (mean, swing) in zip(
        CITIES, [(9, 9), (20, -3), (9, 8.5), (8, 10), (16, 10), (7, 15)], strict=True
    ):
        for i, month in enumerate(months):
            temp = mean - swing * np.cos(i / 12 * 2 * np.pi) + gen.normal(0, 0.4)
            rows.append((city, month, round(float(temp), 1), round(float(gen.gamma(4, 18)), 0)))
    frame = pd.DataFrame(rows, columns=["city", "month", "Température moyenne (°C)", "rainfall_mm"])
    frame["city"] = text(frame["city"].to_numpy())
    frame["month"] = pd.Categorical(frame["month"], categories=months, ordered=True)
    return frame


@register("health", "category", "boolean", "Int64", "nan_heavy", "units")
def patient_records() -> pd.DataFrame:
    """Clinic intake records; cholesterol was measured for a minority, smoking status sometimes unknown."""
    gen = rng("patient_records")
    n = 800
    age = gen.integers(18, 90, n)
    bmi = np.round(gen.normal(26.5, 4.5, n).clip(15, 50), 1)
    return pd.DataFrame(
        {
            "patient_id": text([f"P{i:04d}" for i in range(n)]),
            "age": age,
            "sex": pd.Categorical(gen.choice(["female", "male"], n)),
            "BMI": bmi,
            "systolic_bp (mmHg)": np.round(100 + 0.5 * age + 0.8 * (bmi - 25) + gen.normal(0, 10, n)),
            "cholesterol": with_missing(np.round(gen.normal(195, 35, n)), 0.7, gen),
            "smoker": with_missing(gen.random(n) < 0.2, 0.15, gen, "boolean"),
            "visits_last_year": with_missing(gen.poisson(2.5, n), 0.1, gen, "Int64"),
            "diagnosis": pd.Categorical(
                gen.choice(["healthy", "hypertension", "diabetes", "asthma"], n, p=[0.55, 0.25, 0.12, 0.08])
            ),
        }
    )


@register("health", "category", "string")
def clinical_trial() -> pd.DataFrame:
    """A symptom score per subject and visit in two arms (long form, one row per visit)."""
    gen = rng("clinical_trial")
    subjects = [f"S{i:03d}" for i in range(60)]
    arm = np.repeat(["placebo", "drug"], 30)
    visits = [0, 2, 4, 8, 12]
    rows = []
    for subject, group in zip(subjects, arm, strict=True):
        start = gen.normal(60, 8)
        slope = -1.0 if group == "placebo" else -2.6
        rows += [
            (subject, group, week, round(float(start + slope * week + gen.normal(0, 4)), 1))
            for week in visits
        ]
    frame = pd.DataFrame(rows, columns=["subject", "arm", "week", "symptom_score"])
    frame["subject"] = text(frame["subject"].to_numpy())
    frame["arm"] = pd.Categorical(frame["arm"], categories=["placebo", "drug"])
    return frame


@register("sensors", "datetime_ns", "nan_heavy", "string")
def air_quality() -> pd.DataFrame:
    """Hourly pollutant levels at three stations; NO2 sensors were offline for long stretches."""
    gen = rng("air_quality")
    hours = pd.date_range("2023-11-01", periods=24 * 60, freq="h").as_unit("ns")
    stations = ["Centre", "Harbour", "Airport"]
    frame = pd.DataFrame(
        {"time": np.tile(hours, len(stations)), "station": text(np.repeat(stations, len(hours)))}
    )
    daily = 1 + 0.5 * np.sin((frame["time"].dt.hour.to_numpy() - 7) / 24 * 2 * np.pi)
    frame["PM2.5"] = np.round(gen.gamma(3, 5, len(frame)) * daily, 1)
    frame["PM10"] = np.round(frame["PM2.5"] * gen.uniform(1.3, 2.0, len(frame)), 1)
    frame["NO2"] = with_missing(np.round(gen.gamma(4, 8, len(frame)) * daily, 1), 0.6, gen)
    return frame


@register("geo", "tz", "datetime_s", "units")
def earthquakes() -> pd.DataFrame:
    """A quake catalogue with UTC event times, positions, depth and magnitude."""
    gen = rng("earthquakes")
    n = 1200
    start = pd.Timestamp("2023-01-01", tz="UTC").as_unit("s")
    times = start + pd.to_timedelta(np.sort(gen.integers(0, 365 * 86400, n)), unit="s")
    return pd.DataFrame(
        {
            "time": times.as_unit("s"),
            "latitude": np.round(gen.uniform(-60, 60, n), 3),
            "longitude": np.round(gen.uniform(-180, 180, n), 3),
            "depth (km)": np.round(gen.exponential(35, n), 1),
            "magnitude": np.round(2.5 + gen.exponential(0.7, n), 1),
            "region": text(
                gen.choice(["Pacific Rim", "Mediterranean", "Himalaya", "Mid-Atlantic", "Andes"], n)
            ),
        }
    )


@register("energy", "datetime_index", "named_index", "tz", "units")
def energy_load_hourly() -> pd.DataFrame:
    """Hourly grid load and generation mix in Berlin local time (a tz-aware DatetimeIndex)."""
    gen = rng("energy_load_hourly")
    hours = pd.date_range("2024-06-01", periods=24 * 28, freq="h", tz="Europe/Berlin", name="timestamp")
    hour = hours.hour.to_numpy()
    solar = np.clip(np.sin((hour - 6) / 14 * np.pi), 0, None) * gen.uniform(8, 14, len(hours))
    load = 45 + 12 * np.sin((hour - 9) / 24 * 2 * np.pi) + gen.normal(0, 2, len(hours))
    wind = np.abs(gen.normal(9, 5, len(hours)))
    return pd.DataFrame(
        {
            "load (GW)": load.round(2),
            "solar (GW)": solar.round(2),
            "wind (GW)": wind.round(2),
            "price €/MWh": np.round(60 + 2.2 * (load - solar - wind) + gen.normal(0, 8, len(hours)), 2),
        },
        index=hours,
    )


@register("manufacturing", "category", "Int64", "string")
def quality_control() -> pd.DataFrame:
    """Shaft diameters measured per production line and shift, with defect counts per batch."""
    gen = rng("quality_control")
    n = 900
    line = gen.choice(["Line A", "Line B", "Line C"], n)
    drift = np.select([line == "Line A", line == "Line B"], [0.0, 0.02], -0.015)
    return pd.DataFrame(
        {
            "batch": np.arange(1, n + 1),
            "line": text(line),
            "shift": pd.Categorical(
                gen.choice(["early", "late", "night"], n), categories=["early", "late", "night"], ordered=True
            ),
            "diameter_mm": np.round(25 + drift + gen.normal(0, 0.03, n), 3),
            "defects": with_missing(gen.poisson(1.2, n), 0.03, gen, "Int64"),
            "operator": text(gen.choice(["Ana", "Bo", "Chen", "Dara", "Eli"], n)),
        }
    )
