"""The fonts the print stylesheet needs, checked with fontconfig before anything is rendered.

WeasyPrint prints empty boxes, without any warning, for text whose font is missing; so the build
asks fontconfig (`fc-list`, the same library WeasyPrint uses) first and stops with the font named.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from publisher.errors import FontMissing
from publisher.messages import _

# The families templates/print/release.css uses; keep the two in step.
REQUIRED_FONTS = ("Noto Sans CJK JP",)


def font_files(family: str) -> list[Path]:
    """The files fontconfig knows for `family` (exactly that family, no fallback)."""
    return _fc_list(_family_pattern(family))


def missing_glyphs(chars: Iterable[str], family: str = REQUIRED_FONTS[0]) -> set[str]:
    """The characters among `chars` that `family` has no glyph for (one fc-list call if none)."""
    wanted = sorted({c for c in chars if c.isprintable() and not c.isspace()})
    if not wanted or _covers(family, wanted):
        return set()
    if len(wanted) == 1:
        return set(wanted)
    half = len(wanted) // 2
    return missing_glyphs(wanted[:half], family) | missing_glyphs(wanted[half:], family)


def _covers(family: str, chars: Sequence[str]) -> bool:
    charset = " ".join(f"{ord(c):x}" for c in chars)
    return bool(_fc_list(f"{_family_pattern(family)}:charset={charset}"))


def _family_pattern(family: str) -> str:
    return ":family=" + family.replace("-", r"\-").replace(":", r"\:")


def _fc_list(pattern: str) -> list[Path]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise FontMissing(
            _(
                "fc-list not found: install fontconfig (scripts/install-system-packages) or build "
                "with --no-pdf"
            )
        )
    found = subprocess.run(
        [fc_list, "--format", "%{file}\n", pattern], capture_output=True, text=True, check=False
    )
    return sorted({Path(line) for line in found.stdout.splitlines() if line.strip()})


def require_fonts(families: Sequence[str] = REQUIRED_FONTS) -> str:
    """Check every family is installed; return a fingerprint of their files for the PDF cache."""
    digest = hashlib.sha256()
    for family in families:
        files = font_files(family)
        if not files:
            said = _(
                "font '{family}' is not installed (fontconfig does not know it), so the PDFs "
                "would print empty boxes; install Debian's fonts-noto-cjk "
                "(scripts/install-system-packages) or build with --no-pdf"
            )
            raise FontMissing(said.format(family=family))
        for path in files:
            stat = path.stat()
            digest.update(f"{family}\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def subsetter_warning() -> str | None:
    """A warning when HarfBuzz's subsetter is missing (WeasyPrint then subsets ~40x slower)."""
    if ctypes.util.find_library("harfbuzz-subset"):
        return None
    return _(
        "libharfbuzz-subset0 is not installed: fonts are subset with fontTools, about 40 times "
        "slower (scripts/install-system-packages installs it)"
    )
