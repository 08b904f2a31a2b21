"""HR, survey and education frames: people as rows, answers and ratings as columns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import register, rng, text, with_missing

DEPARTMENTS = ["Engineering", "Sales", "Support", "Finance", "People Ops"]
LIKERT = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]


@register("hr", "string", "category", "boolean", "Int64", "timedelta", "datetime_ms", "spaces")
def employees() -> pd.DataFrame:
    """An HR roster: hire dates, tenure as a timedelta, remote flag and ratings with gaps."""
    gen = rng("employees")
    n = 350
    hired = np.datetime64("2024-12-31", "ms") - gen.integers(30, 12 * 365, n).astype("timedelta64[D]")
    level = pd.Categorical(
        gen.choice(["Junior", "Mid", "Senior", "Lead"], n, p=[0.3, 0.35, 0.25, 0.1]),
        categories=["Junior", "Mid", "Senior", "Lead"],
        ordered=True,
    )
    salary = 42_000 + 14_000 * level.codes.astype(int) + gen.normal(0, 6000, n)
    return pd.DataFrame(
        {
            "employee": text([f"E{i:04d}" for i in range(n)]),
            "department": pd.Categorical(gen.choice(DEPARTMENTS, n)),
            "Job level": level,
            "hire_date": pd.Series(hired, dtype="datetime64[ms]"),
            "tenure": pd.Timestamp("2024-12-31") - pd.Series(hired, dtype="datetime64[ms]"),
            "Annual salary": np.round(salary, -2),
            "age": gen.integers(21, 64, n),
            "remote": with_missing(gen.random(n) < 0.4, 0.1, gen, "boolean"),
            "performance": with_missing(gen.integers(1, 6, n), 0.2, gen, "Int64"),
        }
    )


@register("surveys", "category", "Int64", "boolean", "spaces", "string")
def survey_responses() -> pd.DataFrame:
    """A customer survey: ordered answer categories, a 0-10 score with skips, a yes/no with blanks."""
    gen = rng("survey_responses")
    n = 1000
    satisfaction = gen.choice(LIKERT, n, p=[0.07, 0.13, 0.25, 0.35, 0.2])
    return pd.DataFrame(
        {
            "respondent": np.arange(1, n + 1),
            "Age group": pd.Categorical(
                gen.choice(["18-24", "25-34", "35-44", "45-54", "55+"], n),
                categories=["18-24", "25-34", "35-44", "45-54", "55+"],
                ordered=True,
            ),
            "Region": text(gen.choice(["North America", "Europe", "Asia Pacific", "Latin America"], n)),
            "How satisfied are you?": pd.Categorical(satisfaction, categories=LIKERT, ordered=True),
            "NPS score": with_missing(
                np.clip(np.round(gen.normal(7.2, 2.2, n)), 0, 10).astype(int), 0.12, gen, "Int64"
            ),
            "Would recommend?": with_missing(gen.random(n) < 0.7, 0.2, gen, "boolean"),
            "Minutes to complete": np.round(gen.lognormal(2.0, 0.5, n), 1),
        }
    )


@register("surveys", "wide", "category")
def survey_wide() -> pd.DataFrame:
    """An engagement survey exported one column per question (Q001..Q120), answers coded 1-5."""
    gen = rng("survey_wide")
    n = 300
    team_mood = gen.normal(0, 0.6, 8)
    team = gen.integers(0, 8, n)
    data = {"team": pd.Categorical([f"Team {t + 1}" for t in team])}
    for q in range(1, 121):
        score = 3.4 + team_mood[team] + gen.normal(0, 0.9, n) + 0.3 * np.sin(q)
        data[f"Q{q:03d}"] = np.clip(np.round(score), 1, 5).astype(int)
    return pd.DataFrame(data)


@register("hr", "numeric_labels", "named_index")
def headcount_by_year() -> pd.DataFrame:
    """Year-end headcount per department, years as integer column labels (a pivot table as exported)."""
    gen = rng("headcount_by_year")
    years = list(range(2015, 2025))
    data = {}
    for dept in DEPARTMENTS:
        growth = gen.uniform(0.98, 1.15)
        data[dept] = np.round(gen.integers(10, 80) * growth ** np.arange(len(years)))
    frame = pd.DataFrame(data, index=years).T.astype(int)
    frame.index.name = "department"
    return frame


@register("education", "named_index", "category", "nan_heavy")
def exam_scores() -> pd.DataFrame:
    """Scores per student and subject; optional subjects are empty for most students."""
    gen = rng("exam_scores")
    n = 240
    ability = gen.normal(0, 10, n)
    frame = pd.DataFrame(
        {
            "class": pd.Categorical(gen.choice(["7A", "7B", "8A", "8B"], n)),
            "math": np.clip(np.round(65 + ability + gen.normal(0, 8, n)), 0, 100),
            "reading": np.clip(np.round(70 + 0.7 * ability + gen.normal(0, 9, n)), 0, 100),
            "science": np.clip(np.round(62 + 0.9 * ability + gen.normal(0, 9, n)), 0, 100),
            "latin": with_missing(np.clip(np.round(60 + ability + gen.normal(0, 12, n)), 0, 100), 0.85, gen),
            "music": with_missing(np.clip(np.round(75 + gen.normal(0, 10, n)), 0, 100), 0.75, gen),
        },
        index=pd.Index([f"student {i:03d}" for i in range(n)], name="student"),
    )
    return frame
