"""Frames of the ``fresh`` split: flat tables from domains the dev and held-out halves never touch.

The fresh split was written after the held-out half had been read once, so its frames are new
tables (hospitality, sport, housing, games, ecology, insurance, music, tourism) rather than
variations of old ones; a rule fitted to an old table's column names gains nothing here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import register, rng, text, with_missing

FRESH = "fresh"


@register(
    "hospitality",
    "string",
    "category",
    "Int64",
    "boolean",
    "datetime_s",
    "units",
    "unicode",
    "spaces",
    split=FRESH,
)
def hotel_bookings() -> pd.DataFrame:
    """Bookings from a small hotel chain's PMS export: stay length sometimes blank, cancellation
    sometimes unknown."""
    gen = rng("hotel_bookings")
    n = 2400
    hotels = ["Lisbon Riverside", "Porto Ribeira", "Sevilla Centro", "Málaga Playa"]
    hotel = gen.choice(hotels, n, p=[0.35, 0.25, 0.22, 0.18])
    rooms = pd.Categorical(
        gen.choice(["Standard", "Deluxe", "Suite"], n, p=[0.6, 0.3, 0.1]),
        categories=["Standard", "Deluxe", "Suite"],
        ordered=True,
    )
    base = np.select([rooms == "Standard", rooms == "Deluxe"], [95.0, 150.0], 260.0)
    check_in = np.datetime64("2024-01-01T14:00:00", "s") + gen.integers(0, 366, n).astype("timedelta64[D]")
    season = 1 + 0.35 * np.sin((check_in.astype("datetime64[D]").astype(int) % 365) / 365 * 2 * np.pi - 1.2)
    countries = ["Portugal", "España", "Deutschland", "Österreich", "France", "United Kingdom", "Česko"]
    return pd.DataFrame(
        {
            "booking_ref": text([f"BK{100000 + i}" for i in range(n)]),
            "hotel": text(hotel),
            "room type": rooms,
            "check_in": pd.Series(check_in, dtype="datetime64[s]"),
            "nights": with_missing(gen.geometric(0.35, n), 0.04, gen, "Int64"),
            "guests": gen.choice([1, 2, 3, 4], n, p=[0.25, 0.55, 0.12, 0.08]),
            "ADR (€)": np.round(base * season * gen.lognormal(0, 0.15, n), 2),
            "lead_time_days": gen.gamma(1.4, 40, n).round().astype(int),
            "guest country": text(gen.choice(countries, n)),
            "cancelled": with_missing(gen.random(n) < 0.22, 0.05, gen, "boolean"),
        }
    )


@register("sport", "string", "tz", "datetime_us", "Int64", "spaces", split=FRESH)
def football_matches() -> pd.DataFrame:
    """One league season: kick-off in local time, goals and expected goals, attendance missing for
    some games."""
    gen = rng("football_matches")
    teams = [
        "Rivertown FC",
        "Harbour City",
        "Northgate United",
        "Old Mill Rovers",
        "St. Albans Athletic",
        "Kingsbridge",
        "Valley Wanderers",
        "Eastport Town",
        "Marston Albion",
        "Redcliffe",
    ]
    pairs = [(h, a) for h in teams for a in teams if h != a]
    order = gen.permutation(len(pairs))
    home = np.array([pairs[i][0] for i in order])
    away = np.array([pairs[i][1] for i in order])
    n = len(pairs)
    strength = {t: s for t, s in zip(teams, gen.normal(1.3, 0.35, len(teams)), strict=True)}
    xg_home = np.round(
        np.clip(
            [strength[h] * 1.15 - strength[a] * 0.3 + 0.4 for h, a in zip(home, away, strict=True)], 0.2, None
        )
        * gen.lognormal(0, 0.25, n),
        2,
    )
    xg_away = np.round(
        np.clip([strength[a] - strength[h] * 0.3 + 0.3 for h, a in zip(home, away, strict=True)], 0.1, None)
        * gen.lognormal(0, 0.25, n),
        2,
    )
    weekend = np.datetime64("2024-08-17T15:00:00", "us") + (np.arange(n) // 5).astype("timedelta64[W]")
    kickoff = pd.Series(weekend + gen.choice([0, 150, 1410, 1590], n).astype("timedelta64[m]"))
    return pd.DataFrame(
        {
            "matchweek": np.arange(n) // 5 + 1,
            "kickoff": kickoff.dt.tz_localize("UTC").dt.tz_convert("Europe/London"),
            "home team": text(home),
            "away team": text(away),
            "home goals": gen.poisson(xg_home),
            "away goals": gen.poisson(xg_away),
            "xG home": xg_home,
            "xG away": xg_away,
            "attendance": with_missing(
                gen.normal(24000, 7000, n).clip(4000, 52000).round().astype(int), 0.12, gen, "Int64"
            ),
            "referee": text(
                gen.choice(["M. Oliver", "A. Taylor", "S. Attwell", "C. Kavanagh", "P. Tierney"], n)
            ),
        }
    )


@register(
    "real estate",
    "string",
    "category",
    "Int64",
    "boolean",
    "datetime_ms",
    "units",
    "unicode",
    "spaces",
    split=FRESH,
)
def real_estate_listings() -> pd.DataFrame:
    """Flats for sale scraped from a portal: price and area in their units, an ordered energy label,
    m² in a label."""
    gen = rng("real_estate_listings")
    n = 1800
    cities = {"München": 9800, "Köln": 5200, "Düsseldorf": 5600, "Leipzig": 3100, "Hamburg": 7200}
    city = gen.choice(list(cities), n)
    area = np.round(gen.lognormal(4.3, 0.4, n), 1)
    built = gen.integers(1890, 2024, n)
    energy = pd.Categorical(
        np.where(built > 2010, gen.choice(list("AB"), n), gen.choice(list("CDEFG"), n)),
        categories=list("ABCDEFG"),
        ordered=True,
    )
    price = np.array([cities[c] for c in city]) * area * gen.lognormal(0, 0.18, n)
    listed = np.datetime64("2024-03-01T08:00:00.000", "ms") + gen.integers(0, 200 * 86400, n).astype(
        "timedelta64[s]"
    )
    return pd.DataFrame(
        {
            "listing_id": np.arange(40000, 40000 + n),
            "city": text(city),
            "price (€)": np.round(price, -2),
            "living area m²": area,
            "rooms": with_missing(np.clip(np.round(area / 28), 1, 7).astype(int), 0.06, gen, "Int64"),
            "year built": built,
            "energy class": energy,
            "balcony": with_missing(gen.random(n) < 0.55, 0.1, gen, "boolean"),
            "listed_on": pd.Series(listed, dtype="datetime64[ms]"),
            "days on market": gen.gamma(2.0, 20, n).round().astype(int),
        }
    )


@register("gaming", "category", "tz", "datetime_ns", "timedelta", "Int64", "boolean", "units", split=FRESH)
def game_sessions() -> pd.DataFrame:
    """Play sessions from a mobile game's telemetry: UTC start, duration as a timedelta, in-app spend
    in dollars."""
    gen = rng("game_sessions")
    n = 6000
    start = np.datetime64("2024-10-01T00:00:00", "ns") + gen.integers(0, 30 * 86400, n).astype(
        "timedelta64[s]"
    ).astype("timedelta64[ns]")
    minutes = gen.lognormal(2.6, 0.8, n)
    platform = pd.Categorical(gen.choice(["iOS", "Android", "Switch", "PC"], n, p=[0.38, 0.42, 0.08, 0.12]))
    spent = np.where(gen.random(n) < 0.07, np.round(gen.choice([0.99, 4.99, 9.99, 19.99, 49.99], n), 2), 0.0)
    return pd.DataFrame(
        {
            "player_id": gen.integers(1, 1500, n),
            "platform": platform,
            "session_start": pd.Series(start).dt.tz_localize("UTC"),
            "duration": pd.to_timedelta(np.round(minutes * 60), unit="s"),
            "max_level": with_missing(
                np.clip(gen.normal(25, 12, n), 1, 80).round().astype(int), 0.08, gen, "Int64"
            ),
            "purchased": with_missing(spent > 0, 0.03, gen, "boolean"),
            "spend ($)": spent,
            "country_code": text(gen.choice(["US", "BR", "DE", "JP", "IN", "KR"], n)),
        }
    )


@register("ecology", "period", "string", "category", "unicode", split=FRESH)
def bird_counts() -> pd.DataFrame:
    """Monthly transect counts by volunteer observers: species names in English and Latin,
    a Period[M] survey month."""
    gen = rng("bird_counts")
    species = [
        "Eurasian blue tit",
        "Common chaffinch",
        "Eurasian wren",
        "Great spotted woodpecker",
        "Common kingfisher",
        "Red kite",
        "White stork",
    ]
    latin = dict(
        zip(
            species,
            [
                "Cyanistes caeruleus",
                "Fringilla coelebs",
                "Troglodytes troglodytes",
                "Dendrocopos major",
                "Alcedo atthis",
                "Milvus milvus",
                "Ciconia ciconia",
            ],
            strict=True,
        )
    )
    rows = []
    for month in pd.period_range("2022-01", "2024-12", freq="M"):
        for transect in ("Ufer", "Wald-Süd", "Heide", "Auenwiese"):
            for sp in species:
                mean = {"Eurasian blue tit": 12, "Common chaffinch": 15, "Eurasian wren": 6}.get(sp, 2)
                if sp == "White stork" and month.month in (10, 11, 12, 1, 2):
                    mean = 0.05
                rows.append((month, transect, sp, latin[sp], mean))
    month, transect, common, scientific, mean = map(list, zip(*rows, strict=True))
    count = gen.poisson(np.array(mean, dtype=float) * gen.lognormal(0, 0.3, len(rows)))
    return pd.DataFrame(
        {
            "survey month": pd.PeriodIndex(month, freq="M"),
            "transect": pd.Categorical(transect),
            "species": text(common),
            "scientific name": text(scientific),
            "count": count,
            "observer": text(gen.choice(["Jörg", "Anneliese", "Mehmet", "Zoë"], len(rows))),
        }
    )


@register("insurance", "mixed_object", "string", "units", "datetime_s", "category", split=FRESH)
def insurance_claims() -> pd.DataFrame:
    """Claims from a spreadsheet several adjusters edited: amounts heavy-tailed, 'settled' holds
    booleans and text."""
    gen = rng("insurance_claims")
    n = 1200
    kind = gen.choice(["Auto", "Home", "Travel", "Health", "Pet"], n, p=[0.35, 0.25, 0.1, 0.2, 0.1])
    scale = {"Auto": 8.0, "Home": 8.6, "Travel": 6.5, "Health": 7.6, "Pet": 6.2}
    amount = np.round(np.array([gen.lognormal(scale[k], 1.1) for k in kind]), 2)
    settled: list[object] = [bool(v < 0.7) for v in gen.random(n)]
    for i in gen.choice(n, 90, replace=False):
        settled[i] = gen.choice(["pending", "in review", "TBD"])
    filed = np.datetime64("2023-01-01", "s") + gen.integers(0, 730 * 86400, n).astype("timedelta64[s]")
    return pd.DataFrame(
        {
            "claim_no": text([f"CL-{i:05d}" for i in range(n)]),
            "policy type": pd.Categorical(kind),
            "filed": pd.Series(filed, dtype="datetime64[s]"),
            "claim amount (USD)": amount,
            "paid amount (USD)": np.round(amount * gen.uniform(0, 1, n), 2),
            "days_to_settle": gen.gamma(2, 18, n).round().astype(int),
            "settled": pd.Series(settled, dtype=object),
            "region": text(gen.choice(["Northeast", "Midwest", "South", "West"], n)),
            "customer_age": gen.integers(18, 90, n),
        }
    )


@register("music", "string", "unicode", "category", "datetime_s", split=FRESH)
def music_charts() -> pd.DataFrame:
    """Weekly top-20 streaming charts in three markets: artist names in many scripts, streams
    spanning decades."""
    gen = rng("music_charts")
    artists = [
        "Beyoncé",
        "Sigur Rós",
        "BTS (방탄소년단)",
        "Rosalía",
        "Måneskin",
        "Stromae",
        "Bad Bunny",
        "Aya Nakamura",
        "Kraftklub",
        "藤井 風",
        "Dua Lipa",
        "Ólafur Arnalds",
    ]
    popularity = gen.lognormal(0, 0.7, len(artists))
    weeks = pd.date_range("2024-01-05", periods=26, freq="W-FRI").as_unit("s")
    rows = []
    for market, size in (("US", 1.0), ("DE", 0.25), ("FR", 0.2)):
        for week in weeks:
            weights = popularity * gen.lognormal(0, 0.4, len(artists))
            picks = gen.choice(len(artists), 20, p=weights / weights.sum())
            streams = np.sort(gen.lognormal(13.5, 0.9, 20) * size)[::-1]
            rows += [
                (week, market, rank + 1, artists[p], f"Track {p}-{gen.integers(1, 9)}", int(s))
                for rank, (p, s) in enumerate(zip(picks, streams, strict=True))
            ]
    week, market, rank, artist, track, streams = map(list, zip(*rows, strict=True))
    return pd.DataFrame(
        {
            "chart week": pd.Series(week, dtype="datetime64[s]"),
            "market": pd.Categorical(market),
            "rank": rank,
            "artist": text(artist),
            "track": text(track),
            "streams": streams,
        }
    )


@register("tourism", "numeric_labels", "named_index", "unicode", "string", split=FRESH)
def tourist_arrivals() -> pd.DataFrame:
    """International arrivals (thousands) per destination, years as integer column labels, as a
    statistics office pivots them."""
    gen = rng("tourist_arrivals")
    places = [
        "España",
        "Italia",
        "Türkiye",
        "Ελλάδα",
        "Hrvatska",
        "Österreich",
        "Portugal",
        "Česko",
        "Ísland",
        "Polska",
    ]
    years = list(range(2012, 2025))
    base = gen.lognormal(9, 0.9, len(places))
    growth = 1 + gen.normal(0.04, 0.02, (len(places), len(years)))
    values = base[:, None] * np.cumprod(growth, axis=1)
    covid = {2020: 0.3, 2021: 0.5, 2022: 0.85}
    for j, year in enumerate(years):
        values[:, j] *= covid.get(year, 1.0)
    frame = pd.DataFrame(np.round(values), index=pd.Index(text(places), name="destination"), columns=years)
    region = np.where(
        np.isin(places, ["Česko", "Polska", "Österreich"]),
        "Central",
        np.where(np.isin(places, ["Ísland"]), "North", "South"),
    )
    frame.insert(0, "region", text(region).set_axis(frame.index))
    return frame
