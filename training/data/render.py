"""Render a ``Chart`` + ``Style`` as a complete program in matplotlib, seaborn or plotly.

Programs read the frame as ``df`` (the magic's convention: the data is already in
memory), prepare a summary with pandas where the chart needs one, draw, style and
call ``show()``. They are written the way a careful person writes them, since
they become the answers the model imitates.
"""

from __future__ import annotations

from .charts import Chart, Style

#: matplotlib/seaborn colormap for each palette name (``crest`` exists only in seaborn).
MPL_CMAP = {"crest": "cividis"}
PLOTLY_SEQ = {
    "viridis": "px.colors.sequential.Viridis",
    "magma": "px.colors.sequential.Magma",
    "coolwarm": "px.colors.diverging.RdBu",
    "Set2": "px.colors.qualitative.Set2",
    "tab10": "px.colors.qualitative.T10",
    "crest": "px.colors.sequential.Teal",
}


def _prep(c: Chart) -> list[str]:
    """Data preparation lines; ``data`` is what the plot reads, ``summary`` an aggregate."""
    lines = ["data = df.copy()"]
    if c.parse_dates:
        lines.append(f'data["{c.parse_dates}"] = pd.to_datetime(data["{c.parse_dates}"])')
    keys = f'["{c.x}", "{c.hue}"]' if c.hue and c.kind == "line" else f'"{c.x}"'
    if c.kind in ("line",) and not c.columns:
        lines.append(f'summary = data.groupby({keys})["{c.y}"].{c.agg}().reset_index()')
    elif c.kind in ("bar", "barh", "pie"):
        lines.append(f'summary = data.groupby({keys})["{c.y}"].{c.agg}().sort_values().reset_index()')
    elif c.kind == "heatmap":
        lines.append(f"corr = data[{list(c.columns)!r}].corr()")
    return lines


def _mpl_draw(c: Chart, s: Style) -> list[str]:
    cmap = MPL_CMAP.get(s.palette, s.palette)
    if c.columns and c.kind != "heatmap":
        if c.kind == "area":
            return [
                f'colors = plt.get_cmap("{cmap}")(np.linspace(0, 1, {len(c.columns)}))',
                f'ax.stackplot(data["{c.x}"], [data[col] for col in {list(c.columns)!r}], '
                f"labels={list(c.columns)!r}, colors=colors)",
                'ax.legend(loc="upper left")',
            ]
        return [
            f"for col in {list(c.columns)!r}:",
            f'    ax.plot(data["{c.x}"], data[col], marker="o", label=col)',
            "ax.legend()",
        ]
    draw = {
        "bar": [f'ax.bar(summary["{c.x}"], summary["{c.y}"], color="{s.color}")'],
        "barh": [f'ax.barh(summary["{c.x}"], summary["{c.y}"], color="{s.color}")'],
        "hist": [f'ax.hist(data["{c.y}"].dropna(), bins=20, color="{s.color}", edgecolor="white")'],
        "scatter": [f'ax.scatter(data["{c.x}"], data["{c.y}"], color="{s.color}", alpha=0.7)'],
        "box": [
            f'groups = [group["{c.y}"].dropna().values for _, group in data.groupby("{c.x}")]',
            f'labels = sorted(data["{c.x}"].dropna().unique())',
            "ax.boxplot(groups, tick_labels=labels)",
        ],
        "pie": [
            f'colors = plt.get_cmap("{cmap}")(np.linspace(0, 1, len(summary)))',
            f'ax.pie(summary["{c.y}"], labels=summary["{c.x}"], autopct="%1.1f%%", colors=colors)',
        ],
        "heatmap": [
            f'image = ax.imshow(corr.values, cmap="{cmap}", vmin=-1, vmax=1)',
            "ax.set_xticks(range(len(corr.columns)), corr.columns, rotation=45)",
            "ax.set_yticks(range(len(corr.columns)), corr.columns)",
            "for i in range(len(corr)):",
            "    for j in range(len(corr)):",
            '        ax.text(j, i, f"{corr.values[i, j]:.2f}", ha="center", va="center")',
            "fig.colorbar(image, ax=ax)",
        ],
        "map": [
            f'points = ax.scatter(data["{c.x}"], data["{c.y}"], s=data["{c.hue}"] / data["{c.hue}"].max() '
            "* 500, "
            f'c=data["{c.hue}"], cmap="{cmap}", alpha=0.7)',
            f'fig.colorbar(points, ax=ax, label="{c.hue}")',
        ],
    }
    if c.kind == "line":
        if c.hue:
            return [
                f'colors = plt.get_cmap("{cmap}")(np.linspace(0, 1, summary["{c.hue}"].nunique()))',
                f'for color, (name, group) in zip(colors, summary.groupby("{c.hue}")):',
                f'    ax.plot(group["{c.x}"], group["{c.y}"], marker="o", color=color, label=name)',
                f'ax.legend(title="{c.hue}")',
            ]
        return [f'ax.plot(summary["{c.x}"], summary["{c.y}"], marker="o", color="{s.color}")']
    if c.kind == "scatter" and c.hue:
        return [
            f'colors = plt.get_cmap("{cmap}")(np.linspace(0, 1, data["{c.hue}"].nunique()))',
            f'for color, (name, group) in zip(colors, data.groupby("{c.hue}")):',
            f'    ax.scatter(group["{c.x}"], group["{c.y}"], color=color, alpha=0.7, label=name)',
            f'ax.legend(title="{c.hue}")',
        ]
    return draw[c.kind]


def _sns_draw(c: Chart, s: Style) -> list[str]:
    hue = f', hue="{c.hue}", palette="{s.palette}"' if c.hue else ""
    if c.columns and c.kind != "heatmap":
        if c.kind == "area":
            return [
                f'data.set_index("{c.x}")[{list(c.columns)!r}].plot.area(ax=ax, '
                f'colormap="{MPL_CMAP.get(s.palette, s.palette)}")'
            ]
        return [
            f'long = data.melt(id_vars="{c.x}", value_vars={list(c.columns)!r}, var_name="series", '
            'value_name="value")',
            f'sns.lineplot(data=long, x="{c.x}", y="value", hue="series", palette="{s.palette}", '
            'marker="o", ax=ax)',
        ]
    draw = {
        "line": [
            f'sns.lineplot(data=summary, x="{c.x}", y="{c.y}"{hue}, marker="o", ax=ax'
            + ("" if c.hue else f', color="{s.color}"')
            + ")"
        ],
        "bar": [f'sns.barplot(data=summary, x="{c.x}", y="{c.y}", color="{s.color}", ax=ax)'],
        "barh": [f'sns.barplot(data=summary, x="{c.y}", y="{c.x}", orient="h", color="{s.color}", ax=ax)'],
        "scatter": [
            f'sns.scatterplot(data=data, x="{c.x}", y="{c.y}"{hue}, alpha=0.7, ax=ax'
            + ("" if c.hue else f', color="{s.color}"')
            + ")"
        ],
        "hist": [f'sns.histplot(data=data, x="{c.y}", bins=20, color="{s.color}", ax=ax)'],
        "box": [
            f'sns.boxplot(data=data, x="{c.x}", y="{c.y}", hue="{c.x}", palette="{s.palette}", '
            "legend=False, ax=ax)"
        ],
        "pie": [
            f'colors = sns.color_palette("{s.palette}", len(summary))',
            f'ax.pie(summary["{c.y}"], labels=summary["{c.x}"], autopct="%1.1f%%", colors=colors)',
        ],
        "heatmap": [f'sns.heatmap(corr, annot=True, fmt=".2f", cmap="{s.palette}", vmin=-1, vmax=1, ax=ax)'],
        "map": [
            f'sns.scatterplot(data=data, x="{c.x}", y="{c.y}", size="{c.hue}", hue="{c.hue}", '
            f'palette="{s.palette}", sizes=(40, 400), ax=ax)'
        ],
    }
    return draw[c.kind]


def _mpl_style(c: Chart, s: Style) -> list[str]:
    lines = [f'ax.set_title("{s.title}")']
    if c.kind not in ("pie", "heatmap"):
        x_label, y_label = (
            (c.y, c.x) if c.kind == "barh" else (c.x or c.y, c.y if c.kind != "hist" else "count")
        )
        lines += [
            f'ax.set_xlabel("{x_label.replace("_", " ").capitalize()}")',
            f'ax.set_ylabel("{(y_label or "value").replace("_", " ").capitalize()}")',
        ]
    if s.grid:
        lines.append("ax.grid(True, alpha=0.3)")
    if s.rotate:
        lines.append(f'ax.tick_params(axis="x", rotation={s.rotate})')
    return lines + ["plt.tight_layout()", "plt.show()"]


def _plotly(c: Chart, s: Style) -> list[str]:
    seq = PLOTLY_SEQ[s.palette]
    common = f'title="{s.title}"'
    color = (
        f', color="{c.hue}", color_discrete_sequence={seq}'
        if c.hue
        else f', color_discrete_sequence=["{s.color}"]'
    )
    if c.columns and c.kind != "heatmap":
        call = "px.area" if c.kind == "area" else "px.line"
        draw = (
            f'fig = {call}(data, x="{c.x}", y={list(c.columns)!r}, color_discrete_sequence={seq}, {common})'
        )
    else:
        draw = {
            "line": f'fig = px.line(summary, x="{c.x}", y="{c.y}"{color}, markers=True, {common})',
            "bar": (
                f'fig = px.bar(summary, x="{c.x}", y="{c.y}", color_discrete_sequence=["{s.color}"], '
                f"{common})"
            ),
            "barh": (
                f'fig = px.bar(summary, x="{c.y}", y="{c.x}", orientation="h", '
                f'color_discrete_sequence=["{s.color}"], {common})'
            ),
            "scatter": f'fig = px.scatter(data, x="{c.x}", y="{c.y}"{color}, opacity=0.7, {common})',
            "hist": (
                f'fig = px.histogram(data, x="{c.y}", nbins=20, '
                f'color_discrete_sequence=["{s.color}"], {common})'
            ),
            "box": (
                f'fig = px.box(data, x="{c.x}", y="{c.y}", color="{c.x}", '
                f"color_discrete_sequence={seq}, {common})"
            ),
            "pie": (
                f'fig = px.pie(summary, names="{c.x}", values="{c.y}", color_discrete_sequence={seq}, '
                f"{common})"
            ),
            "heatmap": (
                f'fig = px.imshow(corr, text_auto=".2f", color_continuous_scale={seq}, zmin=-1, '
                f"zmax=1, {common})"
            ),
            "map": f'fig = px.scatter(data, x="{c.x}", y="{c.y}", size="{c.hue}", color="{c.hue}", '
            f"color_continuous_scale={seq}, {common})",
        }[c.kind]
    lines = [draw]
    if c.kind not in ("pie", "heatmap"):
        x_label, y_label = (
            (c.y, c.x) if c.kind == "barh" else (c.x or c.y, c.y if c.kind != "hist" else "count")
        )
        lines.append(
            f'fig.update_layout(xaxis_title="{x_label.replace("_", " ").capitalize()}", '
            f'yaxis_title="{(y_label or "value").replace("_", " ").capitalize()}")'
        )
    if s.grid:
        lines.append("fig.update_xaxes(showgrid=True)\nfig.update_yaxes(showgrid=True)")
    if s.rotate:
        lines.append(f"fig.update_xaxes(tickangle=-{s.rotate})")
    return lines + ["fig.show()"]


def render(c: Chart, s: Style, lib: str) -> str:
    """The complete program text."""
    if lib == "plotly":
        imports = ["import pandas as pd", "import plotly.express as px"]
        body = _plotly(c, s)
    else:
        imports = ["import matplotlib.pyplot as plt", "import numpy as np", "import pandas as pd"]
        if lib == "seaborn":
            imports.append("import seaborn as sns")
        draw = _sns_draw(c, s) if lib == "seaborn" else _mpl_draw(c, s)
        body = [f"fig, ax = plt.subplots(figsize={s.figsize})", *draw, *_mpl_style(c, s)]
    return "\n".join([*imports, "", *_prep(c), "", *body]) + "\n"
