"""Effective settings and where each came from, for ``%viscode status``.

This is the configuration layer: the only place that reads ``VISCODER_*``
environment variables (once, when the magics are created). Precedence, lowest
first: trait default < IPython profile config < ``VISCODER_<NAME>`` environment
variable < ``%config VisCode.<name> = …`` in the session < a cell flag, which lasts
for that one cell only. A variable therefore overrides a site-wide profile for one
launch (``VISCODER_ENDPOINT=http://gpu-box:8000/v1 jupyter lab``), and ``%config``
still wins afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from traitlets import TraitError

log = logging.getLogger("viscoder_magic")

ENV_PREFIX = "VISCODER_"
SECTIONS = ("VisCode", "VisCodeMagics")
#: Traits every Configurable has; not settings of ours.
INHERITED = ("config", "parent", "log")


def setting_names(magics: Any) -> list[str]:
    """The configurable settings, sorted."""
    return sorted(n for n in magics.class_trait_names(config=True) if n not in INHERITED)


def env_name(setting: str) -> str:
    """``max_tokens`` -> ``VISCODER_MAX_TOKENS``."""
    return ENV_PREFIX + setting.upper()


def apply_env(magics: Any, environ: Mapping[str, str]) -> dict[str, str]:
    """Set each trait named by a ``VISCODER_*`` variable; record and return the origins.

    A value that does not parse (``VISCODER_ROUNDS=many``) is skipped with a warning
    rather than failing ``%load_ext``; ``%viscode status`` shows it as ignored.
    """
    origins: dict[str, str] = {}
    for name in setting_names(magics):
        variable = env_name(name)
        if variable not in environ:
            continue
        trait = magics.traits()[name]
        try:
            value = trait.from_string(environ[variable])
            setattr(magics, name, value)
        except (TraitError, ValueError) as exc:
            log.warning("viscode: ignoring %s=%r (%s)", variable, environ[variable], exc)
            origins[name] = f"ignored env {variable}: not a valid {type(trait).__name__}"
            continue
        origins[name] = f"env {variable}"
    magics._env_values = {n: getattr(magics, n) for n, o in origins.items() if o.startswith("env ")}
    magics._env_origins = origins
    return origins


def _configured(magics: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for section in SECTIONS:
        if magics.config._has_section(section):
            values.update(magics.config[section])
    return values


def origin_of(magics: Any, name: str) -> str:
    """Where the current value of ``name`` came from."""
    env_values: dict[str, Any] = getattr(magics, "_env_values", {})
    env_origins: dict[str, str] = getattr(magics, "_env_origins", {})
    configured = _configured(magics)
    value = getattr(magics, name)
    if name in env_values and env_values[name] == value:
        return env_origins[name]
    if name in configured and configured[name] == value:
        return "config"
    default = magics.traits()[name].default()
    if value != default:
        return "set in code"
    if name in env_origins:  # an ignored variable
        return f"default; {env_origins[name]}"
    return "default"


def settings_report(magics: Any) -> str:
    """``name = value   (origin)`` for every configurable trait."""
    lines = [
        f"{name:12} = {getattr(magics, name)!r:40} ({origin_of(magics, name)})"
        for name in setting_names(magics)
    ]
    lines.append(
        "(origins: default < config (profile) < env VISCODER_<NAME> < %config; "
        "cell flags apply to one cell only)"
    )
    return "\n".join(lines)
