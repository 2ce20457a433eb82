"""The HTML of a step's picture on a guide page: its frames, the arrows between
them, and the script that shows each reader the pictures of their colour scheme.

The HTML is written as inline elements inside the step's list item (Markdown
keeps inline HTML as it is), so MkDocs does not rewrite its URLs: they are
written relative to the built page here (see page_prefix).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path, PurePath

from ..jsfiles import script
from .images import SiteFrame, StepPicture

JS = Path(__file__).parent / "js"

# Shows every step picture under root in the colour scheme the site's palette
# uses: Material's saved choice (already on <body> when this runs), else, on a
# first visit, the first palette option whose media query matches, as
# Material's own script will pick it. Called by the tab script before the tabs
# are laid out, so that only this scheme's pictures are ever requested, and by
# site.js when the reader switches the palette. It also says, in each picture's
# data-css-width, the CSS width of what the picture shows: on a narrow screen, a
# desktop picture shows the part around its marks (see _frame).
SCHEME_JS = script(JS, "scheme.js")

# The screens that are shown a desktop picture's narrow part (site_images.NARROW_MAX).
NARROW_MEDIA = "(max-width: 600px)"
SCHEME_SCRIPT = "<script>\n" + SCHEME_JS.replace("NARROW", NARROW_MEDIA) + "\n</script>"

# Until the browser knows the picture's layout width (sizes=auto, for lazy
# images), it assumes a phone column or the frame's own CSS width.
_SIZES = "auto, (max-width: 30em) 88vw, {width}px"

_DIRECTORY_URLS = re.compile(r"^use_directory_urls:\s*(\w+)", re.MULTILINE)


def directory_urls(mkdocs_yml: Path) -> bool:
    """Whether MkDocs builds a page as a folder (PAGE/index.html), its default."""
    try:
        found = _DIRECTORY_URLS.search(mkdocs_yml.read_text("utf-8"))
    except OSError:
        found = None
    return not found or found.group(1).lower() not in ("false", "no", "off")


def page_prefix(page: PurePath, directory_urls: bool) -> str:
    """The way up from a page as built (page: its path under the language's docs
    folder, e.g. guides/ID.md) to that folder."""
    depth = len(page.parts) - 1
    if directory_urls and page.name != "index.md":
        depth += 1
    return "../" * depth


def _srcset(frame: SiteFrame, prefix: str) -> str:
    return ", ".join(f"{prefix}{v.name} {v.width}w" for v in frame.variants)


def _fallback(frame: SiteFrame, prefix: str) -> str:
    """The src for browsers without srcset: the width nearest the CSS width."""
    nearest = min(frame.variants, key=lambda v: abs(v.width - frame.css_width))
    return prefix + nearest.name


def _same_shape(light: SiteFrame | None, dark: SiteFrame | None) -> bool:
    if light is None or dark is None:
        return light is dark
    width, height = light.css_width - dark.css_width, light.css_height - dark.css_height
    return abs(width) <= 1 and abs(height) <= 1 and _same_shape(light.narrow, dark.narrow)


def _attrs(values: dict[str, str | int]) -> str:
    return " ".join(f'{key}="{html.escape(str(value))}"' for key, value in values.items())


def _frame(light: SiteFrame, dark: SiteFrame | None, alt: str, prefix: str) -> str:
    href = prefix + light.variants[-1].name
    image: dict[str, str | int] = {
        "alt": alt,
        "src": _fallback(light, prefix),
        "srcset": _srcset(light, prefix),
        "sizes": _SIZES.format(width=light.css_width),
        "width": light.css_width,
        "height": light.css_height,
        "data-css-width": light.css_width,
        "loading": "lazy",
        "decoding": "async",
        "style": f"--gg-w: {light.css_width}; --gg-r: {light.css_width / light.css_height:.4f}",
    }
    if dark is not None:
        image |= {
            "data-gg-light-srcset": image["srcset"],
            "data-gg-light-src": image["src"],
            "data-gg-light-href": href,
            "data-gg-dark-srcset": _srcset(dark, prefix),
            "data-gg-dark-src": _fallback(dark, prefix),
            "data-gg-dark-href": prefix + dark.variants[-1].name,
        }
    shown = f"<img {_attrs(image)}>"
    if light.narrow is not None:
        shown = _picture(light.narrow, dark.narrow if dark else None, image, prefix, shown)
    return f'<a class="gg-zoom" {_attrs({"href": href})}>{shown}</a>'


def _picture(
    narrow: SiteFrame,
    dark: SiteFrame | None,
    image: dict[str, str | int],
    prefix: str,
    img: str,
) -> str:
    """A desktop frame that narrow screens see cut to its marks: art direction
    with <picture>, whose <source> the browser picks before it loads anything.
    The image learns the narrow CSS width (data-gg-narrow-width, and --gg-nw,
    --gg-nr for site.css), so that it is laid out at the size of what it shows."""
    source: dict[str, str | int] = {
        "media": NARROW_MEDIA,
        "srcset": _srcset(narrow, prefix),
        "sizes": _SIZES.format(width=narrow.css_width),
        "width": narrow.css_width,
        "height": narrow.css_height,
    }
    if dark is not None:
        source |= {
            "data-gg-light-srcset": source["srcset"],
            "data-gg-dark-srcset": _srcset(dark, prefix),
        }
    ratio = narrow.css_width / narrow.css_height
    style = f"{image['style']}; --gg-nw: {narrow.css_width}; --gg-nr: {ratio:.4f}"
    img = img.replace(
        f'style="{html.escape(str(image["style"]))}"',
        f'style="{html.escape(style)}" data-gg-narrow-width="{narrow.css_width}"',
    )
    return f"<picture><source {_attrs(source)}>{img}</picture>"


def figure(picture: StepPicture, alts: Sequence[str], prefix: str) -> str:
    """A step's frames as one line of inline HTML, an arrow between frames.

    Phone frames may stand in a row when the column has room (site.css);
    desktop frames, wide already, always stack. A dark frame is used only
    when it has the light one's shape, so the page never jumps on a switch.
    """
    dark = picture.dark if len(picture.dark) == len(picture.light) else ()
    parts = []
    for index, light in enumerate(picture.light):
        pair = dark[index] if dark and _same_shape(light, dark[index]) else None
        if index:
            parts.append('<span class="gg-next" aria-hidden="true"></span>')
        parts.append(_frame(light, pair, alts[index], prefix))
    count = len(picture.light)
    layout = "row" if picture.side_by_side else "column"
    return (
        f'<span class="gg-shots gg-shots--{layout} gg-shots--n{count}">'
        f'<span class="gg-shots__frames">{"".join(parts)}</span></span>'
    )
