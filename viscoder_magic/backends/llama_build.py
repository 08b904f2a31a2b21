"""What the installed llama.cpp was compiled for, read from the library itself.

Set-up builds llama-cpp-python for AVX2 on x86-64, because a ``-march=native``
build on an AMX Xeon crashes its first decode (llama.cpp#20824). pip keys its wheel
cache by the source archive alone, not by ``CMAKE_ARGS``, so a wheel that an earlier
native build left in the cache comes back unasked. Only the built library can say
what it was built for; ``scripts/setup.sh`` asks it through ``main``.
"""

from __future__ import annotations

import argparse
import os
import re

#: CPU features a portable AVX2 build never reports: their presence means a native build.
NATIVE_ONLY = re.compile(rb"\b(AVX512\w*|AMX\w*|AVX_VNNI) = 1")


def system_info() -> bytes:
    """llama.cpp's own feature line (``CPU : SSE3 = 1 | AVX2 = 1 | ...``)."""
    from llama_cpp import llama_cpp as raw

    return raw.llama_print_system_info()


def amx_build() -> bool:
    """Whether this llama.cpp build multiplies on Intel AMX tiles.

    A build compiled with ``-march=native`` on a Sapphire Rapids (or later) Xeon
    repacks Q4_K weights for AMX, and its first decode then crashes the process
    (llama.cpp#20824; seen here on a 2-core cloud VM): the kernel would die with the
    user's variables. ``VISCODER_LLAMA_REPACK=1`` keeps llama.cpp's own choice.
    """
    if os.environ.get("VISCODER_LLAMA_REPACK") == "1":
        return False
    return b"AMX_INT8 = 1" in system_info()


def native_features() -> list[str]:
    """The features that only a build for this very CPU family reports, sorted."""
    return sorted({m.decode() for m in NATIVE_ONLY.findall(system_info())})


def main(argv: list[str] | None = None) -> int:
    """``--native``: exit 0 and name the features when the build is CPU-specific, else 1."""
    parser = argparse.ArgumentParser(
        prog="python -m viscoder_magic.backends.llama_build", description=__doc__
    )
    parser.add_argument(
        "--native", action="store_true", required=True, help="ask whether the build is CPU-specific"
    )
    parser.parse_args(argv)
    found = native_features()
    if found:
        print("llama.cpp was built for this CPU family: " + ", ".join(found))
    return 0 if found else 1


if __name__ == "__main__":
    raise SystemExit(main())
