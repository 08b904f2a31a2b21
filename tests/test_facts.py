"""Figure facts and the request check, on programs run for real in all three libraries.

Each row is a request, the frame it is about, a program (right or wrong), the mark
kinds and frame columns the facts must read from the drawn figure, and the verdict:
"" for a right program (no mismatch may be raised), else a piece of the expected
mismatch message.
"""

from __future__ import annotations

import json
import math
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import plotly.express as px  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import pytest  # noqa: E402
import seaborn as sns  # noqa: E402
from plotly.subplots import make_subplots  # noqa: E402

from viscoder_magic.facts import FigureFacts, facts_line, read_facts  # noqa: E402
from viscoder_magic.intent import read_intent  # noqa: E402
from viscoder_magic.mismatch import mismatches  # noqa: E402


def _frames() -> dict[str, pd.DataFrame]:
    """Small frames with the dtypes that trip readers: pandas 3 strings, categoricals, dates of every kind."""
    rng = np.random.default_rng(7)
    n = 120
    regions = np.array(["North", "South", "East", "West"])[rng.integers(0, 4, n)]
    df = pd.DataFrame(
        {
            "Region": pd.array(regions, dtype="str"),
            "Product": pd.Categorical(np.array(["Tea", "Coffee", "Cocoa"])[rng.integers(0, 3, n)]),
            "Sales": rng.gamma(2.0, 150.0, n).round(2) + 1,
            "Profit": rng.normal(40, 12, n).round(2),
            "Units": rng.integers(1, 60, n),
            "Date": pd.date_range("2024-01-01", periods=n, freq="D", unit="us"),
        }
    )
    df.loc[df.Region == "West", "Units"] += 40  # totals per region distinct and not in name order
    ts = pd.DataFrame(
        {
            "Temperature": 10 + 8 * np.sin(np.arange(90) / 9) + rng.normal(0, 1, 90),
            "Rain": rng.gamma(1.0, 3.0, 90).round(1),
        },
        index=pd.date_range("2024-03-01", periods=90, freq="D", name="Day"),
    )
    events = pd.DataFrame(
        {
            "When": pd.date_range("2024-05-01 08:00", periods=60, freq="h", tz="Europe/Berlin"),
            "Latency": rng.gamma(3.0, 20.0, 60).round(1),
        }
    )
    lon, lat = np.meshgrid(np.linspace(0, 4, 20), np.linspace(0, 3, 15))
    grid = pd.DataFrame(
        {"Lon": lon.ravel(), "Lat": lat.ravel(), "Height": (np.sin(lon) * np.cos(lat)).ravel() * 100 + 200}
    )
    misc = pd.DataFrame(
        {
            "Step": np.arange(8),
            "Value": rng.normal(5, 2, 8).round(3),
            "people": pd.array(["Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal"], dtype="str"),
            "performance": rng.uniform(50, 90, 8).round(1),
            "error": rng.uniform(1, 6, 8).round(2),
            "t": np.linspace(0.5, 4, 8),
            "s": rng.uniform(1, 3, 8).round(3),
        }
    )
    misc["Copy"] = misc["Value"]  # the same values under two names
    misc["s_nse"] = misc["s"] + rng.normal(0, 0.1, 8).round(3)
    return {"df": df, "ts": ts, "events": events, "grid": grid, "misc": misc}


FRAMES = _frames()
BAR_PER_REGION = "bar chart of total Sales per Region"
BY_REGION = "df.groupby('Region')"

# (lib, frame, request, program, kinds drawn, columns the facts must trace, verdict)
CASES = [
    # ---- matplotlib (and pandas plotting, which draws through it)
    (
        "mpl",
        "df",
        BAR_PER_REGION,
        f"{BY_REGION}['Sales'].sum().plot.bar()",
        ("bar",),
        ("Region", "Sales"),
        "",
    ),
    (
        "mpl",
        "df",
        BAR_PER_REGION,
        f"{BY_REGION}['Sales'].sum().plot.pie()",
        ("pie",),
        ("Region", "Sales"),
        "A bar chart was asked for, but the figure draws a pie.",
    ),
    (
        "mpl",
        "df",
        BAR_PER_REGION,
        f"s = {BY_REGION}['Profit'].sum()\nplt.bar(s.index, s.values)\nplt.ylabel('Profit')",
        ("bar",),
        ("Region", "Profit"),
        "names column 'Sales'",
    ),
    (
        "mpl",
        "df",
        "column chart of mean Profit by Region",
        f"s = {BY_REGION}['Profit'].mean()\nplt.bar(s.index, s.values)",
        ("bar",),
        ("Region", "Profit"),
        "",
    ),
    (
        "mpl",
        "df",
        "pie chart of the share of Sales per Region",
        f"s = {BY_REGION}['Sales'].sum()\nplt.pie(s.values, labels=s.index, autopct='%1.0f%%')",
        ("pie",),
        ("Region", "Sales"),
        "",
    ),
    (
        "mpl",
        "df",
        "pie chart of the share of Sales per Region",
        f"{BY_REGION}['Sales'].sum().plot.bar()",
        ("bar",),
        ("Region", "Sales"),
        "A pie chart was asked for, but the figure draws bars.",
    ),
    (
        "mpl",
        "df",
        "pie chart of how many rows each Product has",
        "df['Product'].value_counts().plot.pie()",
        ("pie",),
        ("Product",),
        "",
    ),
    ("mpl", "df", "histogram of Profit", "plt.hist(df['Profit'], bins=15)", ("histogram",), ("Profit",), ""),
    (
        "mpl",
        "df",
        "histogram of Profit",
        "plt.plot(df['Profit'])",
        ("line",),
        ("Profit",),
        "A histogram was asked for, but the figure draws lines.",
    ),
    (
        "mpl",
        "df",
        "histogram of Profit",
        "plt.hist(df['Sales'], bins=15)\nplt.xlabel('Sales')",
        ("histogram",),
        ("Sales",),
        "names column 'Profit'",
    ),
    (
        "mpl",
        "df",
        "scatter plot of Profit against Sales",
        "plt.scatter(df.Sales, df.Profit)",
        ("scatter",),
        ("Sales", "Profit"),
        "",
    ),
    (
        "mpl",
        "df",
        "scatter plot of Profit against Sales",
        "plt.plot(df.Sales, df.Profit, 'o')",
        ("scatter",),
        ("Sales", "Profit"),
        "",
    ),
    (
        "mpl",
        "df",
        "scatter of Profit vs Sales with a log x axis",
        "plt.scatter(df.Sales, df.Profit)\nplt.xscale('log')",
        ("scatter",),
        ("Sales", "Profit"),
        "",
    ),
    (
        "mpl",
        "df",
        "scatter of Profit vs Sales with a log x axis",
        "plt.scatter(df.Sales, df.Profit)",
        ("scatter",),
        ("Sales", "Profit"),
        "A log x axis was asked for, but the x axis is linear.",
    ),
    (
        "mpl",
        "df",
        "line chart of Sales over time",
        "plt.plot(df.Date, df.Sales)",
        ("line",),
        ("Date", "Sales"),
        "",
    ),
    (
        "mpl",
        "df",
        "line chart of Sales over time",
        "plt.bar(df.Date, df.Sales)",
        ("bar",),
        ("Date", "Sales"),
        "A line chart was asked for, but the figure draws bars.",
    ),
    (
        "mpl",
        "df",
        "line chart of the total Units per Product",
        "df.groupby('Product', observed=True)['Units'].sum().plot()",
        ("line",),
        ("Product", "Units"),
        "",
    ),
    ("mpl", "df", "box plot of Sales", "plt.boxplot(df['Sales'])", ("box",), ("Sales",), ""),
    (
        "mpl",
        "df",
        "box plot of Sales and Profit",
        "df[['Sales', 'Profit']].plot.box()",
        ("box",),
        ("Sales", "Profit"),
        "",
    ),
    (
        "mpl",
        "df",
        "box plot of Sales",
        "plt.hist(df['Sales'])",
        ("histogram",),
        ("Sales",),
        "A box plot was asked for, but the figure draws a histogram.",
    ),
    (
        "mpl",
        "df",
        "area chart of Units over time",
        "plt.fill_between(df.Date, df.Units, alpha=0.4)",
        ("area",),
        ("Date", "Units"),
        "",
    ),
    (
        "mpl",
        "df",
        "area chart of Units over time",
        "df.plot.area(x='Date', y='Units')",
        ("area",),
        ("Date", "Units"),
        "",
    ),
    (
        "mpl",
        "df",
        "area chart of Units over time",
        "plt.plot(df.Date, df.Units)",
        ("line",),
        ("Date", "Units"),
        "An area chart was asked for, but the figure draws lines.",
    ),
    (
        "mpl",
        "df",
        "heatmap of the correlation matrix of Sales, Profit and Units",
        "c = df[['Sales', 'Profit', 'Units']].corr()\nplt.imshow(c)\nplt.xticks(range(3), c.columns)\n"
        "plt.yticks(range(3), c.columns)\nplt.colorbar()",
        ("heatmap",),
        ("Sales", "Profit", "Units"),
        "",
    ),
    (
        "mpl",
        "df",
        "heatmap of total Units per Product and Region",
        "p = df.pivot_table(index='Product', columns='Region', values='Units', aggfunc='sum', "
        "observed=True)\n"
        "plt.imshow(p)\nplt.xticks(range(p.shape[1]), p.columns)\nplt.yticks(range(p.shape[0]), p.index)",
        ("heatmap",),
        ("Units", "Product", "Region"),
        "",
    ),
    (
        "mpl",
        "df",
        "hexbin plot of Profit against Sales",
        "plt.hexbin(df.Sales, df.Profit, gridsize=12)",
        ("hexbin",),
        (),
        "",
    ),
    (
        "mpl",
        "df",
        "hexbin plot of Profit against Sales",
        "plt.scatter(df.Sales, df.Profit)",
        ("scatter",),
        ("Sales", "Profit"),
        "A hexbin (2-D density) plot was asked for, but the figure draws scattered points.",
    ),
    (
        "mpl",
        "grid",
        "contour plot of Height over Lon and Lat",
        "plt.tricontourf(grid.Lon, grid.Lat, grid.Height)",
        ("contour",),
        (),
        "",
    ),
    (
        "mpl",
        "grid",
        "contour plot of Height over Lon and Lat",
        "plt.scatter(grid.Lon, grid.Lat, c=grid.Height)",
        ("scatter",),
        ("Lon", "Lat"),
        "A contour plot was asked for, but the figure draws scattered points.",
    ),
    (
        "mpl",
        "grid",
        "3d surface plot of Height over Lon and Lat",
        "ax = plt.figure().add_subplot(projection='3d')\nax.plot_trisurf(grid.Lon, grid.Lat, grid.Height)",
        ("3d",),
        (),
        "",
    ),
    (
        "mpl",
        "grid",
        "3d scatter plot of Height over Lon and Lat",
        "ax = plt.figure().add_subplot(projection='3d')\nax.scatter(grid.Lon, grid.Lat, grid.Height)",
        ("scatter", "3d"),
        ("Lon", "Lat", "Height"),
        "",
    ),
    (
        "mpl",
        "grid",
        "3d surface plot of Height over Lon and Lat",
        "plt.scatter(grid.Lon, grid.Lat, c=grid.Height)",
        ("scatter",),
        ("Lon", "Lat"),
        "A 3-D plot was asked for, but the figure draws scattered points.",
    ),
    ("mpl", "df", "violin plot of Sales", "plt.violinplot(df['Sales'])", ("violin",), ("Sales",), ""),
    (
        "mpl",
        "df",
        "violin plot of Sales",
        "plt.violinplot(df['Profit'])",
        ("violin",),
        ("Profit",),
        "names column 'Sales'",
    ),
    (
        "mpl",
        "df",
        "a histogram of Sales and a box plot of Sales side by side",
        "fig, (a, b) = plt.subplots(1, 2)\na.hist(df.Sales)\nb.boxplot(df.Sales)",
        ("histogram", "box"),
        ("Sales",),
        "",
    ),
    (
        "mpl",
        "df",
        "a histogram of Sales and a box plot of Sales side by side",
        "plt.hist(df.Sales)\nplt.boxplot(df.Sales)",
        ("histogram", "box"),
        ("Sales",),
        "Several panels were asked for, but the figure has one panel.",
    ),
    (
        "mpl",
        "df",
        "bar chart of total Units per Region sorted descending",
        f"{BY_REGION}['Units'].sum().sort_values(ascending=False).plot.bar()",
        ("bar",),
        ("Region", "Units"),
        "",
    ),
    (
        "mpl",
        "df",
        "bar chart of total Units per Region sorted descending",
        f"{BY_REGION}['Units'].sum().plot.bar()",
        ("bar",),
        ("Region", "Units"),
        "the bars are not sorted",
    ),
    (  # the same bars drawn twice over each other (a patch dropped a repeat call's keyword): one series
        "mpl",
        "df",
        "bar chart of total Units per Region sorted descending",
        f"s = {BY_REGION}['Units'].sum()\nplt.bar(s.index, s.values)\nplt.bar(s.index, s.values)",
        ("bar",),
        ("Region", "Units"),
        "the bars are not sorted",
    ),
    (
        "mpl",
        "df",
        "horizontal bar chart of total Units per Region, largest first",
        f"{BY_REGION}['Units'].sum().sort_values().plot.barh()",
        ("bar",),
        ("Region", "Units"),
        "",
    ),
    (
        "mpl",
        "ts",
        "line chart of Temperature over time",
        "ts['Temperature'].plot()",
        ("line",),
        ("Day", "Temperature"),
        "",
    ),
    (
        "mpl",
        "ts",
        "line chart of Rain over time",
        "ts['Temperature'].plot()",
        ("line",),
        ("Day", "Temperature"),
        "names column 'Rain'",
    ),
    (
        "mpl",
        "events",
        "scatter plot of Latency over time",
        "plt.scatter(events.When, events.Latency)",
        ("scatter",),
        ("When", "Latency"),
        "",
    ),
    (
        "mpl",
        "events",
        "line chart of Latency over time",
        "plt.plot(events['When'], events['Latency'])",
        ("line",),
        ("When", "Latency"),
        "",
    ),
    (
        "mpl",
        "df",
        "stacked bar chart of total Units per Region and Product",
        "df.pivot_table(index='Region', columns='Product', values='Units', aggfunc='sum', observed=True)"
        ".plot.bar(stacked=True)",
        ("bar",),
        ("Region", "Units", "Product"),
        "",
    ),
    (
        "mpl",
        "df",
        "stacked bar chart of total Units per Region and Product",
        "df.pivot_table(index='Region', columns='Product', values='Profit', aggfunc='sum', observed=True)"
        ".plot.bar(stacked=True)",
        ("bar",),
        ("Region", "Profit", "Product"),
        "names column 'Units'",
    ),
    (
        "mpl",
        "misc",
        "line chart of Value against Step",
        "plt.plot(misc.Step, misc.Value)",
        ("line",),
        ("Step", "Value"),
        "",
    ),
    (
        "mpl",
        "misc",
        "line chart of Copy against Step",
        "plt.plot(misc.Step, misc.Value)",
        ("line",),
        ("Step", "Value", "Copy"),
        "",
    ),
    (
        "mpl",
        "misc",
        "bar chart of performance per person with error bars from error",
        "plt.bar(misc.people, misc.performance, yerr=misc.error)",
        ("bar",),
        ("people", "performance", "error"),
        "",
    ),
    (
        "mpl",
        "misc",
        "bar chart of performance per person with error bars from error",
        "for i, row in misc.iterrows():\n    plt.bar(row.people, row.performance)\n"
        "    plt.errorbar(row.people, row.performance, yerr=row.error)",
        ("bar",),
        ("error",),
        "",
    ),
    (
        "mpl",
        "misc",
        "bar chart of performance per person with error bars from error",
        "plt.bar(misc.people, misc.performance)",
        ("bar",),
        ("people", "performance"),
        "names column 'error'",
    ),
    (
        "mpl",
        "misc",
        "scatter of s_nse against t, with vertical lines from 0 up to s at every t",
        "plt.scatter(misc.t, misc.s_nse)\nplt.vlines(misc.t, 0, misc.s)",
        ("scatter",),
        ("t", "s_nse", "s"),
        "",
    ),
    (
        "mpl",
        "misc",
        "scatter of s_nse against t, with vertical lines from 0 up to s at every t",
        "plt.scatter(misc.t, misc.s_nse)",
        ("scatter",),
        ("t", "s_nse"),
        "names column 's'",
    ),
    (
        "mpl",
        "misc",
        "vector field of Value at each Step",
        "plt.quiver(misc.Step, misc.Value, misc.s, misc.t)\nplt.scatter(misc.Step, misc.Value)",
        ("scatter",),
        ("Step", "Value"),
        "",
    ),
    (
        "mpl",
        "grid",
        "3d bar chart of Height over Lon and Lat",
        "ax = plt.figure().add_subplot(projection='3d')\n"
        "ax.bar3d(grid.Lon[:20], grid.Lat[:20], 0, 0.1, 0.1, grid.Height[:20])",
        ("3d",),
        (),
        "",
    ),
    # ---- seaborn
    (
        "sns",
        "df",
        BAR_PER_REGION,
        "sns.barplot(data=df, x='Region', y='Sales', estimator='sum')",
        ("bar",),
        ("Region", "Sales"),
        "",
    ),
    (
        "sns",
        "df",
        "bar chart of average Sales by Region",
        "sns.barplot(data=df, x='Region', y='Profit')",
        ("bar",),
        ("Region", "Profit"),
        "names column 'Sales'",
    ),
    (
        "sns",
        "df",
        "bar chart of total Sales per Region and Product",
        "sns.barplot(data=df, x='Region', y='Sales', hue='Product', estimator='sum')",
        ("bar",),
        ("Region", "Sales", "Product"),
        "",
    ),
    (
        "sns",
        "df",
        "bar chart of the number of rows per Product",
        "sns.countplot(data=df, x='Product')",
        ("bar",),
        ("Product",),
        "",
    ),
    (
        "sns",
        "df",
        "bar chart of the number of rows per Product",
        "sns.histplot(data=df, x='Product')",
        ("bar",),
        ("Product",),
        "",
    ),
    ("sns", "df", "histogram of Sales", "sns.histplot(data=df, x='Sales')", ("histogram",), ("Sales",), ""),
    (
        "sns",
        "df",
        "histogram of Sales",
        "sns.scatterplot(data=df, x='Date', y='Sales')",
        ("scatter",),
        ("Date", "Sales"),
        "A histogram was asked for, but the figure draws scattered points.",
    ),
    ("sns", "df", "distribution of Sales", "sns.kdeplot(data=df, x='Sales')", ("line",), (), ""),
    ("sns", "df", "distribution of Sales", "sns.kdeplot(data=df, x='Sales', fill=True)", ("area",), (), ""),
    (
        "sns",
        "df",
        "distribution of Sales per Region",
        "sns.violinplot(data=df, x='Region', y='Sales')",
        ("violin",),
        ("Region",),
        "",
    ),
    (
        "sns",
        "df",
        "distribution of Sales per Region",
        "sns.boxplot(data=df, x='Region', y='Sales')",
        ("box",),
        ("Region", "Sales"),
        "",
    ),
    (
        "sns",
        "df",
        "box plot of Sales per Region",
        "sns.boxplot(data=df, x='Region', y='Sales')",
        ("box",),
        ("Region", "Sales"),
        "",
    ),
    (
        "sns",
        "df",
        "violin plot of Sales per Region",
        "sns.violinplot(data=df, x='Region', y='Sales')",
        ("violin",),
        ("Region", "Sales"),
        "",
    ),
    (
        "sns",
        "df",
        "violin plot of Sales per Region",
        "sns.violinplot(data=df, x='Region', y='Profit')",
        ("violin",),
        ("Region", "Profit"),
        "names column 'Sales'",
    ),
    (
        "sns",
        "df",
        "box plot of Sales per Region",
        "sns.violinplot(data=df, x='Region', y='Sales')",
        ("violin",),
        ("Region",),
        "A box plot was asked for, but the figure draws violins.",
    ),
    (
        "sns",
        "df",
        "violin plot of Profit per Product",
        "sns.boxplot(data=df, x='Product', y='Profit')",
        ("box",),
        ("Product", "Profit"),
        "A violin plot was asked for, but the figure draws box plots.",
    ),
    (
        "sns",
        "df",
        "scatter plot of Profit vs Sales coloured by Region",
        "sns.scatterplot(data=df, x='Sales', y='Profit', hue='Region')",
        ("scatter",),
        ("Sales", "Profit", "Region"),
        "",
    ),
    (
        "sns",
        "df",
        "scatter plot of Profit vs Sales",
        "sns.lineplot(data=df, x='Sales', y='Profit')",
        ("line",),
        ("Sales", "Profit"),
        "A scatter plot was asked for, but the figure draws lines.",
    ),
    (
        "sns",
        "df",
        "scatter plot of Profit against Sales with a regression line",
        "sns.regplot(data=df, x='Sales', y='Profit')",
        ("line", "scatter"),
        ("Sales", "Profit"),
        "",
    ),
    (
        "sns",
        "df",
        "correlation matrix heatmap of Sales, Profit and Units",
        "sns.heatmap(df[['Sales', 'Profit', 'Units']].corr(), annot=True)",
        ("heatmap",),
        ("Sales", "Profit", "Units"),
        "",
    ),
    (
        "sns",
        "df",
        "correlation matrix heatmap of Sales, Profit and Units",
        "sns.barplot(data=df, x='Region', y='Sales')",
        ("bar",),
        ("Region", "Sales"),
        "A heatmap was asked for, but the figure draws bars.",
    ),
    (
        "sns",
        "df",
        "heatmap of mean Sales per Region and Product",
        "sns.heatmap(df.pivot_table(index='Region', columns='Product', values='Sales', observed=True), "
        "annot=True)",
        ("heatmap",),
        ("Sales", "Region", "Product"),
        "",
    ),
    (
        "sns",
        "df",
        "heatmap of mean Sales per Region and Product",
        "sns.heatmap(df.pivot_table(index='Region', columns='Product', values='Profit', observed=True))",
        ("heatmap",),
        ("Profit", "Region", "Product"),
        "names column 'Sales'",
    ),
    (
        "sns",
        "df",
        "heatmap of how many rows each Region and Product pair has",
        "sns.heatmap(pd.crosstab(df.Region, df.Product), annot=True, fmt='d')",
        ("heatmap",),
        ("Region", "Product"),
        "",
    ),
    (
        "sns",
        "ts",
        "line chart of Temperature over time",
        "sns.lineplot(data=ts.reset_index(), x='Day', y='Temperature')",
        ("line",),
        ("Day", "Temperature"),
        "",
    ),
    (
        "sns",
        "df",
        "histogram of Sales on a log scale",
        "sns.histplot(data=df, x='Sales', log_scale=True)",
        ("histogram",),
        (),
        "",
    ),
    (
        "sns",
        "df",
        "histogram of Sales on a log scale",
        "sns.histplot(data=df, x='Sales')",
        ("histogram",),
        ("Sales",),
        "A log scale was asked for, but every axis is linear.",
    ),
    (
        "sns",
        "df",
        "scatter plot of Profit vs Sales, one panel per Region",
        "sns.relplot(data=df, x='Sales', y='Profit', col='Region')",
        ("scatter",),
        ("Sales", "Profit"),
        "",
    ),
    (
        "sns",
        "df",
        "scatter plot of Profit vs Sales, one panel per Region",
        "sns.scatterplot(data=df, x='Sales', y='Profit', hue='Region')",
        ("scatter",),
        ("Sales", "Profit"),
        "Several panels were asked for",
    ),
    (
        "sns",
        "df",
        "contour plot of the density of Profit against Sales",
        "sns.kdeplot(data=df, x='Sales', y='Profit')",
        ("contour",),
        (),
        "",
    ),
    (
        "sns",
        "df",
        "contour plot of the density of Profit against Sales",
        "sns.scatterplot(data=df, x='Sales', y='Profit')",
        ("scatter",),
        ("Sales", "Profit"),
        "A contour plot was asked for, but the figure draws scattered points.",
    ),
    (
        "sns",
        "df",
        "hexbin plot of Profit against Sales",
        "sns.jointplot(data=df, x='Sales', y='Profit', kind='hex')",
        ("histogram", "hexbin"),
        (),
        "",
    ),
    (
        "sns",
        "df",
        "bar chart of total Units per Region, sorted descending",
        "o = df.groupby('Region')['Units'].sum().sort_values(ascending=False).index\n"
        "sns.barplot(data=df, x='Region', y='Units', estimator='sum', order=o, errorbar=None)",
        ("bar",),
        ("Region", "Units"),
        "",
    ),
    (
        "sns",
        "df",
        "bar chart of total Units per Region, sorted descending",
        "sns.barplot(data=df, x='Region', y='Units', estimator='sum', errorbar=None, "
        "order=sorted(df.Region.unique()))",
        ("bar",),
        ("Region", "Units"),
        "the bars are not sorted",
    ),
    (
        "sns",
        "events",
        "line chart of Latency over time",
        "sns.lineplot(data=events, x='When', y='Latency')",
        ("line",),
        ("When", "Latency"),
        "",
    ),
    # ---- plotly
    (
        "px",
        "df",
        BAR_PER_REGION,
        "fig = px.bar(df.groupby('Region', as_index=False)['Sales'].sum(), x='Region', y='Sales')",
        ("bar",),
        ("Region", "Sales"),
        "",
    ),
    (
        "px",
        "df",
        BAR_PER_REGION,
        "fig = px.bar(df, x='Region', y='Sales')",
        ("bar",),
        ("Region", "Sales"),
        "",
    ),
    (
        "px",
        "df",
        BAR_PER_REGION,
        "fig = px.pie(df, names='Region', values='Sales')",
        ("pie",),
        ("Region", "Sales"),
        "A bar chart was asked for, but the figure draws a pie.",
    ),
    (
        "px",
        "df",
        "grouped bar chart of total Units per Region and Product",
        "t = df.groupby(['Region', 'Product'], as_index=False, observed=True)['Units'].sum()\n"
        "fig = px.bar(t, x='Region', y='Units', color='Product', barmode='group')",
        ("bar",),
        ("Region", "Units", "Product"),
        "",
    ),
    (
        "px",
        "df",
        "bar chart of total Sales per Region",
        "fig = px.histogram(df, x='Region', y='Sales', histfunc='sum')",
        ("histogram",),
        ("Region", "Sales"),
        "",
    ),
    (
        "px",
        "df",
        "pie chart of the share of Sales per Region",
        "fig = px.pie(df, names='Region', values='Sales')",
        ("pie",),
        ("Region", "Sales"),
        "",
    ),
    (
        "px",
        "df",
        "pie chart of the share of Sales per Region",
        "fig = px.bar(df, x='Region', y='Sales')",
        ("bar",),
        ("Region", "Sales"),
        "A pie chart was asked for, but the figure draws bars.",
    ),
    (
        "px",
        "df",
        "donut chart of how many rows each Product has",
        "fig = px.pie(df, names='Product', hole=0.4)",
        ("pie",),
        ("Product",),
        "",
    ),
    (
        "px",
        "df",
        "histogram of Profit",
        "fig = px.histogram(df, x='Profit')",
        ("histogram",),
        ("Profit",),
        "",
    ),
    (
        "px",
        "df",
        "histogram of Profit",
        "fig = px.histogram(df, x='Sales')",
        ("histogram",),
        ("Sales",),
        "names column 'Profit'",
    ),
    (
        "px",
        "df",
        "scatter plot of Profit against Sales with a log x axis",
        "fig = px.scatter(df, x='Sales', y='Profit', log_x=True)",
        ("scatter",),
        ("Sales", "Profit"),
        "",
    ),
    (
        "px",
        "df",
        "scatter plot of Profit against Sales with a log x axis",
        "fig = px.scatter(df, x='Sales', y='Profit')",
        ("scatter",),
        ("Sales", "Profit"),
        "A log x axis was asked for, but the x axis is linear.",
    ),
    (
        "px",
        "ts",
        "line chart of Temperature over time",
        "fig = px.line(ts.reset_index(), x='Day', y='Temperature')",
        ("line",),
        ("Day", "Temperature"),
        "",
    ),
    (
        "px",
        "ts",
        "line chart of Temperature over time",
        "fig = px.scatter(ts.reset_index(), x='Day', y='Temperature')",
        ("scatter",),
        ("Day", "Temperature"),
        "A line chart was asked for, but the figure draws scattered points.",
    ),
    (
        "px",
        "events",
        "line chart of Latency over time",
        "fig = px.line(events, x='When', y='Latency')",
        ("line",),
        ("When", "Latency"),
        "",
    ),
    (
        "px",
        "df",
        "line chart of Sales over time",
        "fig = go.Figure(go.Scatter(x=df.Date.to_numpy().astype('datetime64[s]'), y=df.Sales))",
        ("line",),
        ("Date", "Sales"),
        "",
    ),
    (
        "px",
        "df",
        "box plot of Sales per Region",
        "fig = px.box(df, x='Region', y='Sales')",
        ("box",),
        ("Region", "Sales"),
        "",
    ),
    (
        "px",
        "df",
        "violin plot of Profit per Product",
        "fig = px.violin(df, x='Product', y='Profit')",
        ("violin",),
        ("Product", "Profit"),
        "",
    ),
    (
        "px",
        "df",
        "violin plot of Profit per Product",
        "fig = px.box(df, x='Product', y='Profit')",
        ("box",),
        ("Product", "Profit"),
        "A violin plot was asked for, but the figure draws box plots.",
    ),
    (
        "px",
        "df",
        "heatmap of the correlation matrix of Sales, Profit and Units",
        "fig = px.imshow(df[['Sales', 'Profit', 'Units']].corr())",
        ("heatmap",),
        ("Sales", "Profit", "Units"),
        "",
    ),
    (
        "px",
        "df",
        "heatmap of the correlation matrix of Sales, Profit and Units",
        "fig = px.bar(df, x='Region', y='Sales')",
        ("bar",),
        ("Region", "Sales"),
        "A heatmap was asked for, but the figure draws bars.",
    ),
    (
        "px",
        "df",
        "area chart of Units over time",
        "fig = px.line(df, x='Date', y='Units')",
        ("line",),
        ("Date", "Units"),
        "An area chart was asked for, but the figure draws lines.",
    ),
    (
        "px",
        "df",
        "box plot of Sales per Region on a log scale",
        "fig = px.box(df, x='Region', y='Sales', log_y=True)",
        ("box",),
        ("Region", "Sales"),
        "",
    ),
    (
        "px",
        "df",
        "box plot of Sales per Region on a log scale",
        "fig = px.box(df, x='Region', y='Sales')",
        ("box",),
        ("Region", "Sales"),
        "A log scale was asked for, but every axis is linear.",
    ),
    (
        "px",
        "grid",
        "3d scatter of Height over Lon and Lat",
        "fig = px.scatter(grid, x='Lon', y='Lat', color='Height')",
        ("scatter",),
        ("Lon", "Lat", "Height"),
        "A 3-D plot was asked for, but the figure draws scattered points.",
    ),
    (
        "px",
        "df",
        "heatmap of total Units per Product and Region",
        "fig = px.imshow(df.pivot_table(index='Product', columns='Region', values='Units', aggfunc='sum', "
        "observed=True))",
        ("heatmap",),
        ("Units", "Product", "Region"),
        "",
    ),
    (
        "px",
        "df",
        "2d density plot of Profit against Sales",
        "fig = px.density_heatmap(df, x='Sales', y='Profit')",
        ("density2d",),
        ("Sales", "Profit"),
        "",
    ),
    (
        "px",
        "df",
        "contour plot of Profit against Sales",
        "fig = px.density_contour(df, x='Sales', y='Profit')",
        ("contour",),
        ("Sales", "Profit"),
        "",
    ),
    (
        "px",
        "df",
        "area chart of Units over time",
        "fig = px.area(df, x='Date', y='Units')",
        ("area",),
        ("Date", "Units"),
        "",
    ),
    (
        "px",
        "grid",
        "3d scatter of Height over Lon and Lat",
        "fig = px.scatter_3d(grid, x='Lon', y='Lat', z='Height')",
        ("scatter", "3d"),
        ("Lon", "Lat", "Height"),
        "",
    ),
    (
        "px",
        "grid",
        "3d surface of Height",
        "fig = go.Figure(go.Surface(z=grid.pivot(index='Lat', columns='Lon', values='Height').to_numpy()))",
        ("3d",),
        (),
        "",
    ),
    (
        "px",
        "df",
        "a histogram of Sales and a box plot of Sales side by side",
        "fig = make_subplots(rows=1, cols=2)\nfig.add_trace(go.Histogram(x=df.Sales), row=1, col=1)\n"
        "fig.add_trace(go.Box(y=df.Sales), row=1, col=2)",
        ("histogram", "box"),
        ("Sales",),
        "",
    ),
    (
        "px",
        "df",
        "a histogram of Sales and a box plot of Sales side by side",
        "fig = px.histogram(df, x='Sales')",
        ("histogram",),
        ("Sales",),
        "A box plot was asked for, but the figure draws a histogram.",
    ),
    (
        "px",
        "df",
        "bar chart of total Units per Region, largest first",
        "t = df.groupby('Region', as_index=False)['Units'].sum().sort_values('Units', ascending=False)\n"
        "fig = px.bar(t, x='Region', y='Units')",
        ("bar",),
        ("Region", "Units"),
        "",
    ),
    (
        "px",
        "df",
        "bar chart of total Units per Region, largest first",
        "fig = px.bar(df.groupby('Region', as_index=False)['Units'].sum(), x='Region', y='Units')",
        ("bar",),
        ("Region", "Units"),
        "the bars are not sorted",
    ),
    (
        "px",
        "df",
        "scatter plot of Profit vs Sales, one panel per Region",
        "fig = px.scatter(df, x='Sales', y='Profit', facet_col='Region')",
        ("scatter",),
        ("Sales", "Profit"),
        "",
    ),
    (
        "px",
        "df",
        "scatter plot of Profit vs Sales, one panel per Region",
        "fig = px.scatter(df, x='Sales', y='Profit', color='Region')",
        ("scatter",),
        ("Sales", "Profit", "Region"),
        "Several panels were asked for",
    ),
]


def _id(case: tuple) -> str:
    lib, _frame, request, _code, kinds, _cols, verdict = case
    return f"{lib}-{'-'.join(kinds)}-{'wrong' if verdict else 'right'}-{request[:30].replace(' ', '_')}"


def draw(code: str, frames: dict[str, pd.DataFrame]) -> list:
    """Run a program as the execute stage does (its own namespace, copies of the frames); its figures."""
    plt.close("all")
    namespace = {
        "pd": pd,
        "np": np,
        "plt": plt,
        "sns": sns,
        "px": px,
        "go": go,
        "make_subplots": make_subplots,
        **{name: frame.copy() for name, frame in frames.items()},
    }
    exec(code, namespace)  # noqa: S102 - the test programs are ours
    figures: list = [plt.figure(number) for number in plt.get_fignums()]
    if isinstance(namespace.get("fig"), go.Figure):
        figures.append(namespace["fig"])
    return figures


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_facts_and_verdict(case: tuple) -> None:
    lib, frame_name, request, code, kinds, columns, verdict = case
    frames = {frame_name: FRAMES[frame_name]}
    facts = read_facts(draw(code, frames), frames)
    plt.close("all")
    assert facts.kinds == kinds, facts_line(facts)
    assert set(columns) <= set(facts.columns), (facts.columns, [p.sources for p in facts.panels])
    found = mismatches(read_intent(request, frames), facts)
    if verdict:
        assert any(verdict in message for message in found), (found, facts_line(facts))
    else:
        assert found == [], (found, facts_line(facts), [p.sources for p in facts.panels])
    json.dumps(facts.as_dict())


def test_the_set_covers_every_kind_in_every_library_with_right_and_wrong_programs() -> None:
    by_lib = {lib: {k for c in CASES if c[0] == lib for k in c[4]} for lib in ("mpl", "sns", "px")}
    assert {
        "bar",
        "histogram",
        "line",
        "scatter",
        "box",
        "violin",
        "heatmap",
        "pie",
        "area",
        "hexbin",
        "contour",
        "3d",
    } <= by_lib["mpl"]
    assert {"bar", "histogram", "line", "scatter", "box", "violin", "heatmap", "area", "hexbin"} <= by_lib[
        "sns"
    ]
    assert {
        "bar",
        "histogram",
        "line",
        "scatter",
        "box",
        "violin",
        "heatmap",
        "pie",
        "area",
        "density2d",
        "contour",
        "3d",
    } <= by_lib["px"]
    assert len(CASES) >= 60
    assert sum(1 for c in CASES if c[6]) >= 25 and sum(1 for c in CASES if not c[6]) >= 35


# (program, panel facts expected: field -> value)
DETAILS = [
    (
        f"{BY_REGION}['Sales'].sum().sort_values(ascending=False).plot.bar(title='Sales')",
        {"order": "descending", "marks": 4, "series": 1, "title": "Sales", "x_label": "Region"},
    ),
    (
        "plt.scatter(df.Sales, df.Profit)\nplt.yscale('log')\nplt.xlabel('Sales ($)')",
        {"y_scale": "log", "x_scale": "linear", "x_label": "Sales ($)", "marks": 120},
    ),
    (
        "sns.scatterplot(data=df, x='Sales', y='Profit', hue='Region')",
        {"legend": tuple(pd.unique(FRAMES["df"].Region))},
    ),
    (
        "fig = px.bar(df, x='Region', y='Sales', color='Product', log_y=True, title='T')",
        {"y_scale": "log", "series": 3},
    ),
    (f"s = {BY_REGION}['Units'].sum()\nplt.barh(s.index, s.values)", {"horizontal": True}),
    ("sns.barplot(data=df, x='Region', y='Sales', hue='Product')", {"series": 3}),
]


@pytest.mark.parametrize(("code", "expected"), DETAILS, ids=[c[:40] for c, _ in DETAILS])
def test_panel_details(code: str, expected: dict) -> None:
    facts = read_facts(draw(code, {"df": FRAMES["df"]}), {"df": FRAMES["df"]})
    plt.close("all")
    panel = facts.panels[0]
    assert {k: getattr(panel, k) for k in expected} == expected


@pytest.mark.parametrize(
    ("code", "line"),
    [
        (
            f"{BY_REGION}['Sales'].sum().sort_values(ascending=False).plot.bar()",
            "bar chart, 1 panel: Sales (sum) by Region, 4 bars, sorted descending",
        ),
        ("sns.countplot(data=df, x='Product')", "bar chart, 1 panel: count by Product, 3 bars"),
        (
            "sns.heatmap(df.pivot_table(index='Region', columns='Product', values='Sales', aggfunc='sum', "
            "observed=True))",
            "heatmap, 1 panel: Sales (sum) by Region and Product",
        ),
        ("sns.heatmap(df[['Sales', 'Profit', 'Units']].corr())", "heatmap, 1 panel: Sales, Profit and Units"),
        ("fig = px.histogram(df, x='Profit', log_y=True)", "histogram, 1 panel: Profit, log y axis"),
        ("plt.violinplot([df.Sales, df.Profit])", "violin plot, 1 panel: Sales and Profit, 2 violins"),
        (
            "fig, (a, b) = plt.subplots(1, 2)\na.hist(df.Sales, bins=5)\nb.boxplot(df.Sales)",
            "histogram and box plot, 2 panels: Sales (bins), 5 bins; Sales (quartiles), 1 box",
        ),
    ],
)
def test_facts_line(code: str, line: str) -> None:
    facts = read_facts(draw(code, {"df": FRAMES["df"]}), {"df": FRAMES["df"]})
    plt.close("all")
    assert facts_line(facts) == line
    assert facts.as_dict()["line"] == line


def test_a_million_rows_are_read_in_bounded_time() -> None:
    rng = np.random.default_rng(0)
    n = 1_000_000
    big = pd.DataFrame(
        {
            "Region": pd.array(np.array(["N", "S", "E", "W"])[rng.integers(0, 4, n)], dtype="str"),
            "Sales": rng.gamma(2.0, 100.0, n),
            "Profit": rng.normal(0, 1, n),
            "When": pd.date_range("2000-01-01", periods=n, freq="min"),
        }
    )
    figures = draw(
        "big.groupby('Region')['Sales'].sum().plot.bar()\nplt.figure()\nplt.plot(big.When, big.Profit)",
        {"big": big},
    )
    started = time.perf_counter()
    facts = read_facts(figures, {"big": big})
    seconds = time.perf_counter() - started
    plt.close("all")
    assert set(facts.panels[0].sources) == {"Sales (sum by Region)", "Region (categories)"}
    assert set(facts.panels[1].columns) == {"When", "Profit"}
    print(f"read in {seconds:.2f} s")
    assert seconds < 2, seconds


def test_a_category_axis_of_every_row_is_not_read_tick_by_tick() -> None:
    frame = pd.DataFrame({"id": [f"p{i:04d}" for i in range(1500)], "age": np.arange(1500) % 90})
    figures = draw("plt.plot(frame['id'], frame['age'])", {"frame": frame})
    started = time.perf_counter()
    facts = read_facts(figures, {"frame": frame})
    plt.close("all")
    assert time.perf_counter() - started < 1.0
    assert facts.kinds == ("line",)


def test_plotly_json_reads_as_the_figure_does() -> None:
    """The execute stage keeps a plotly figure as its JSON bundle; the facts are the same."""
    fig = px.bar(
        FRAMES["df"].groupby("Region", as_index=False)["Sales"].sum(), x="Region", y="Sales", log_y=True
    )
    frames = {"df": FRAMES["df"]}
    assert read_facts([fig.to_plotly_json()], frames) == read_facts([fig], frames)
    from_text = read_facts([json.loads(fig.to_json())], frames)  # base64 typed arrays
    assert from_text.panels[0].y_scale == "log" and from_text.columns == ("Region", "Sales")


def test_odd_dtypes_and_unreadable_figures_never_raise() -> None:
    frame = pd.DataFrame(
        {
            "d": pd.to_timedelta(np.arange(5), unit="s"),
            "c": np.arange(5) + 1j,
            "o": [object(), None, 1, "a", 2.5],
            "t": pd.date_range("2024", periods=5, tz="UTC"),
            "n": pd.array([1, None, 3, 4, 5], dtype="Int64"),
        }
    )
    fig = go.Figure(
        [
            go.Scatter(x=frame.d, y=frame.n),
            go.Bar(x=frame.o.astype(str), y=[1, 2, 3, 4, 5]),
            go.Scatter(x=np.array(["2024-01-01", "NaT"], dtype="datetime64[ns]"), y=[1, 2]),
            go.Heatmap(z=[[1, 2], [3, 4]]),
            go.Scatter(x={"dtype": "f8", "bdata": "AAAAAAAA8D8="}, y=[1]),
        ]
    )
    facts = read_facts([fig, object(), None], {"f": frame})
    assert isinstance(facts, FigureFacts) and facts.panels
    json.dumps(facts.as_dict())
    assert not math.isnan(len(facts_line(facts)))
