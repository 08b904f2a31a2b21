"""Sales, finance, inventory and web-analytics frames, shaped like the exports analysts get."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import register, rng, text, with_missing

REGIONS = ["North", "South", "East", "West"]
PRODUCTS = ["Laptop", "Monitor", "Keyboard", "Mouse", "Headset", "Webcam"]


@register("sales", "datetime_s", "category", "string", "Int64", "boolean", "units")
def sales_orders() -> pd.DataFrame:
    """Order lines from a shop export: second-resolution timestamps, nullable counts and flags."""
    gen = rng("sales_orders")
    n = 600
    start = np.datetime64("2024-01-01T00:00:00", "s")
    dates = start + np.sort(gen.integers(0, 365 * 86400, n)).astype("timedelta64[s]")
    units = gen.integers(1, 12, n)
    price = gen.choice([899.0, 229.0, 49.0, 25.0, 79.0, 59.0], n)
    return pd.DataFrame(
        {
            "order_id": np.arange(10001, 10001 + n),
            "order_date": pd.Series(dates, dtype="datetime64[s]"),
            "region": pd.Categorical(gen.choice(REGIONS, n), categories=REGIONS),
            "product": text(gen.choice(PRODUCTS, n)),
            "units": with_missing(units, 0.05, gen, "Int64"),
            "Revenue (USD)": np.round(units * price * gen.uniform(0.85, 1.0, n), 2),
            "returned": with_missing(gen.random(n) < 0.08, 0.1, gen, "boolean"),
        }
    )


@register("sales", "datetime_index", "named_index", "spaces")
def store_sales_monthly() -> pd.DataFrame:
    """Monthly revenue per store, one column per store, the month as a named DatetimeIndex."""
    gen = rng("store_sales_monthly")
    months = pd.date_range("2021-01-31", periods=48, freq="ME", name="month")
    season = 1 + 0.25 * np.sin(np.arange(48) / 12 * 2 * np.pi)
    stores = ["Store North", "Store South", "Store Downtown", "Store Airport", "Online Shop"]
    data = {
        s: np.round(season * gen.uniform(40e3, 120e3) * (1 + 0.01 * np.arange(48)) * gen.normal(1, 0.05, 48))
        for s in stores
    }
    return pd.DataFrame(data, index=months)


@register("sales", "lookalike_labels", "string")
def sales_lookalike_columns() -> pd.DataFrame:
    """A merged spreadsheet whose columns differ only by case, a trailing space or a suffix."""
    gen = rng("sales_lookalike_columns")
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    base = gen.uniform(100, 200, 12)
    return pd.DataFrame(
        {
            "Month": text(months),
            "Sales": np.round(base, 1),
            "sales ": np.round(base * gen.uniform(0.9, 1.1, 12), 1),
            "Sales_2": np.round(base * 1.3 + gen.normal(0, 8, 12), 1),
            "Target": np.round(np.full(12, 160.0) + np.arange(12) * 2, 1),
        }
    )


@register("sales", "multiindex_rows", "named_index")
def regional_quarterly() -> pd.DataFrame:
    """Revenue and cost per region and quarter, indexed by both (a groupby result kept as is)."""
    gen = rng("regional_quarterly")
    index = pd.MultiIndex.from_product([REGIONS, ["Q1", "Q2", "Q3", "Q4"]], names=["region", "quarter"])
    revenue = np.round(gen.uniform(2e5, 6e5, len(index)), -2)
    return pd.DataFrame(
        {
            "revenue": revenue,
            "cost": np.round(revenue * gen.uniform(0.55, 0.8, len(index)), -2),
            "deals": gen.integers(20, 90, len(index)),
        },
        index=index,
    )


@register("finance", "datetime_index", "named_index", "datetime_ns")
def stock_prices() -> pd.DataFrame:
    """Daily OHLCV bars of one share on business days, as a market-data API returns them."""
    gen = rng("stock_prices")
    days = pd.bdate_range("2022-01-03", periods=750, name="date").as_unit("ns")
    close = 100 * np.exp(np.cumsum(gen.normal(0.0003, 0.015, len(days))))
    open_ = close * (1 + gen.normal(0, 0.004, len(days)))
    high = np.maximum(open_, close) * (1 + np.abs(gen.normal(0, 0.006, len(days))))
    low = np.minimum(open_, close) * (1 - np.abs(gen.normal(0, 0.006, len(days))))
    return pd.DataFrame(
        {
            "Open": open_.round(2),
            "High": high.round(2),
            "Low": low.round(2),
            "Close": close.round(2),
            "Volume": gen.integers(200_000, 3_000_000, len(days)),
        },
        index=days,
    )


@register("finance", "multiindex_columns", "datetime_index")
def portfolio_returns() -> pd.DataFrame:
    """Weekly price and return per ticker: tickers on the top column level, metrics below."""
    gen = rng("portfolio_returns")
    weeks = pd.date_range("2023-01-06", periods=104, freq="W-FRI", name="week")
    columns = pd.MultiIndex.from_product(
        [["ACME", "GLOBEX", "INITECH", "UMBRELLA"], ["price", "return"]], names=["ticker", "metric"]
    )
    data = {}
    for ticker in columns.levels[0]:
        returns = gen.normal(0.002, 0.03, len(weeks))
        data[(ticker, "price")] = np.round(50 * np.exp(np.cumsum(returns)), 2)
        data[(ticker, "return")] = np.round(returns, 4)
    return pd.DataFrame(data, index=weeks, columns=columns)


@register("finance", "tz", "datetime_us", "category")
def fx_ticks() -> pd.DataFrame:
    """Currency quotes with Tokyo-local, microsecond timestamps, one row per tick."""
    gen = rng("fx_ticks")
    n = 3000
    start = pd.Timestamp("2024-03-04 09:00", tz="Asia/Tokyo")
    offsets = pd.to_timedelta(np.sort(gen.integers(0, 8 * 3600 * 10**6, n)), unit="us")
    pair = gen.choice(["USD/JPY", "EUR/JPY", "GBP/JPY"], n)
    mid = np.select([pair == "USD/JPY", pair == "EUR/JPY"], [150.0, 162.0], 190.0)
    mid = mid + np.cumsum(gen.normal(0, 0.01, n))
    spread = gen.uniform(0.002, 0.02, n)
    return pd.DataFrame(
        {
            "timestamp": (start + offsets).as_unit("us"),
            "pair": pd.Categorical(pair),
            "bid": np.round(mid - spread / 2, 4),
            "ask": np.round(mid + spread / 2, 4),
        }
    )


@register("finance", "period", "units", "unicode", "category")
def department_expenses() -> pd.DataFrame:
    """Monthly spend per department; the month is a Period column, the amount in euros."""
    gen = rng("department_expenses")
    months = pd.period_range("2023-01", periods=24, freq="M")
    departments = ["Marketing", "R&D", "Operations", "Sales", "IT"]
    rows = [
        (
            m,
            d,
            round(float(gen.uniform(8e3, 60e3)), 2),
            str(gen.choice(["travel", "software", "hardware", "services"])),
        )
        for m in months
        for d in departments
    ]
    frame = pd.DataFrame(rows, columns=["month", "department", "Amount (€)", "category"])
    frame["month"] = frame["month"].astype(pd.PeriodDtype("M"))
    frame["department"] = frame["department"].astype("category")
    return frame


@register("inventory", "timedelta", "units", "string", "Int64")
def warehouse_inventory() -> pd.DataFrame:
    """Stock per SKU and warehouse, with supplier lead times as timedeltas."""
    gen = rng("warehouse_inventory")
    n = 240
    return pd.DataFrame(
        {
            "SKU": text([f"SKU-{i:05d}" for i in gen.choice(90000, n, replace=False)]),
            "warehouse": text(gen.choice(["Rotterdam", "Leipzig", "Lyon", "Milan"], n)),
            "category": pd.Categorical(gen.choice(["Electronics", "Furniture", "Toys", "Garden"], n)),
            "Stock level": with_missing(gen.integers(0, 900, n), 0.04, gen, "Int64"),
            "Reorder point": gen.integers(50, 200, n),
            "Unit cost ($)": np.round(gen.lognormal(3, 0.8, n), 2),
            "lead_time": pd.to_timedelta(gen.integers(2, 45, n), unit="D"),
        }
    )


@register("web", "datetime_ms", "category", "string", "boolean")
def web_sessions() -> pd.DataFrame:
    """Visitor sessions from an analytics export: millisecond starts, device, country, conversion."""
    gen = rng("web_sessions")
    n = 2500
    start = np.datetime64("2024-05-01T00:00:00.000", "ms")
    starts = start + np.sort(gen.integers(0, 30 * 86400 * 1000, n)).astype("timedelta64[ms]")
    pages = gen.geometric(0.3, n)
    return pd.DataFrame(
        {
            "session_start": pd.Series(starts, dtype="datetime64[ms]"),
            "device": pd.Categorical(gen.choice(["desktop", "mobile", "tablet"], n, p=[0.45, 0.48, 0.07])),
            "browser": text(
                gen.choice(["Chrome", "Safari", "Firefox", "Edge"], n, p=[0.6, 0.25, 0.08, 0.07])
            ),
            "country": text(gen.choice(["US", "DE", "FR", "BR", "IN", "JP"], n)),
            "pages_viewed": pages,
            "duration_s": np.round(pages * gen.exponential(45, n), 1),
            "converted": pd.array(gen.random(n) < 0.03 * pages, dtype="boolean"),
        }
    )


@register("web", "datetime_index", "named_index", "timedelta", "spaces")
def web_traffic_daily() -> pd.DataFrame:
    """Daily site totals with the average session length as a timedelta column."""
    gen = rng("web_traffic_daily")
    days = pd.date_range("2024-01-01", periods=180, freq="D", name="day")
    weekly = 1 + 0.3 * (days.day_of_week < 5)
    sessions = np.round(weekly * gen.normal(4000, 400, len(days)) * (1 + np.arange(len(days)) / 400))
    return pd.DataFrame(
        {
            "Page views": np.round(sessions * gen.uniform(2.5, 3.5, len(days))).astype(int),
            "Sessions": sessions.astype(int),
            "Bounce rate": np.round(gen.uniform(0.35, 0.6, len(days)), 3),
            "Avg. session duration": pd.to_timedelta(np.round(gen.normal(180, 30, len(days))), unit="s"),
        },
        index=days,
    )


@register("web", "category", "boolean")
def ab_test_results() -> pd.DataFrame:
    """Per-user outcome of a two-variant experiment, with revenue for the converted ones."""
    gen = rng("ab_test_results")
    n = 4000
    variant = gen.choice(["control", "treatment"], n)
    converted = gen.random(n) < np.where(variant == "control", 0.10, 0.12)
    return pd.DataFrame(
        {
            "user_id": np.arange(n),
            "variant": pd.Categorical(variant),
            "platform": pd.Categorical(gen.choice(["ios", "android", "web"], n)),
            "converted": pd.array(converted, dtype="boolean"),
            "revenue": np.where(converted, np.round(gen.lognormal(3.2, 0.6, n), 2), 0.0),
        }
    )
