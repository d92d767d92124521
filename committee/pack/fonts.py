"""The fonts the papers can be printed in, as one fingerprint for the part cache's keys.

The same HTML renders to the same bytes only with the same font files: another version of
Liberation Sans (a package upgraded on one host, a host built from another image) changes
the glyph widths, so the line breaks, the page count and the embedded subsets. A paper is
cached under a key that covers its HTML (render.cache_key); the fingerprint puts the fonts
in that key too, so that a paper rendered with other fonts is never reused in a pack, where
it would sit beside papers and page stamps rendered with these, its page ranges counted
with the other fonts' metrics.

What it covers: every font file Fontconfig (the one WeasyPrint renders with) gives for each
`font-family` list the papers' stylesheets name (templates/pdf/: pack.css, the stamp kit's
own style), in the four styles the papers print (regular, bold, italic and bold italic),
with the fallbacks it sorts after them for the characters those lack, each file by its
content (not its path or time: two hosts with the same fonts share their cached papers).
Computed once per font configuration, so once per process (render._font_configuration):
a few hundredths of a second for the 20-odd files of the fonts bin/system-check installs.
"""

import hashlib
import re

from django.conf import settings
from weasyprint.text.ffi import ffi, fontconfig

# The Fontconfig calls the fingerprint needs that WeasyPrint's own bindings (the FFI and
# library handle it renders with, so the configuration it loads is passed as it is) do not
# declare. Each only if still missing: cffi refuses a second declaration of a function, even
# an identical one, so a WeasyPrint that comes to declare one would otherwise fail this import.
_MISSING = {
    "FcPatternAddInteger": "FcBool FcPatternAddInteger (FcPattern *p, const char *object, int i);",
    "FcPatternGetInteger": "FcResult FcPatternGetInteger (FcPattern *p, const char *object, int n, int *i);",
    # The character set it can return is not asked for (NULL): declared as void ** rather than
    # with a typedef of FcCharSet, which a WeasyPrint declaring it otherwise would refuse.
    "FcFontSort": "FcFontSet * FcFontSort (FcConfig *config, FcPattern *p, FcBool trim, void **csp, FcResult *result);",
    "FcFontSetDestroy": "void FcFontSetDestroy (FcFontSet *s);",
}
for _name, _declaration in _MISSING.items():
    if not hasattr(fontconfig, _name):
        ffi.cdef(_declaration)

# Fontconfig's weights and slants for CSS's normal and bold, upright and italic.
_STYLES = ((80, 0), (80, 100), (200, 0), (200, 100))
_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)")


def named_families() -> list[tuple[str, ...]]:
    """Each `font-family` list the papers' stylesheets name, in order, without quotes."""
    chains: list[tuple[str, ...]] = []
    for path in sorted((settings.BASE_DIR / "templates" / "pdf").iterdir()):
        if path.suffix in (".css", ".html"):
            for found in _FAMILY.findall(path.read_text()):
                chain = tuple(name.strip().strip("\"'") for name in found.split(",") if name.strip())
                if chain and chain not in chains:
                    chains.append(chain)
    return chains


def fingerprint(config=None) -> str:
    """The fingerprint of the fonts this Fontconfig configuration (the one WeasyPrint renders
    with; None for Fontconfig's current one) gives the papers."""
    digests: dict[str, str] = {}
    h = hashlib.sha256()
    for style, path, index in _resolved(config):
        if path not in digests:
            digests[path] = _file_digest(path)
        h.update(f"{style}|{digests[path]}:{index}|".encode())
    return h.hexdigest()[:16]


def files(config=None) -> list[str]:
    """The font files the papers can be printed in (those `fingerprint` covers)."""
    return sorted({path for _, path, _ in _resolved(config)})


def _resolved(config):
    """(family list and style, file, face index) of every font Fontconfig gives the papers."""
    config = ffi.NULL if config is None else config
    for chain in named_families():
        for weight, slant in _STYLES:
            for path, index in _sorted(config, chain, weight, slant):
                yield f"{','.join(chain)}:{weight}:{slant}", path, index


def _sorted(config, chain: tuple[str, ...], weight: int, slant: int) -> list[tuple[str, int]]:
    """The font files (and face indices) Fontconfig gives for this family list and style, as
    Pango asks for them: the best match, then the fallbacks that add characters."""
    pattern = fontconfig.FcPatternCreate()
    try:
        for family in chain:
            fontconfig.FcPatternAddString(pattern, b"family", family.encode())
        fontconfig.FcPatternAddInteger(pattern, b"weight", weight)
        fontconfig.FcPatternAddInteger(pattern, b"slant", slant)
        fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        fonts = fontconfig.FcFontSort(config, pattern, 1, ffi.NULL, result)
    finally:
        fontconfig.FcPatternDestroy(pattern)
    if fonts == ffi.NULL:
        return []
    found = []
    try:
        file, index = ffi.new("FcChar8 **"), ffi.new("int *")
        for i in range(fonts.nfont):
            if fontconfig.FcPatternGetString(fonts.fonts[i], b"file", 0, file) != fontconfig.FcResultMatch:
                continue
            if fontconfig.FcPatternGetInteger(fonts.fonts[i], b"index", 0, index) != fontconfig.FcResultMatch:
                index[0] = 0
            found.append((ffi.string(file[0]).decode(errors="surrogateescape"), index[0]))
    finally:
        fontconfig.FcFontSetDestroy(fonts)
    return found


def _file_digest(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:  # listed by Fontconfig's cache but gone since: not a font the papers get
        return "missing"
