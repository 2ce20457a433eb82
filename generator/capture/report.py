"""The screenshot report: results.json, an offline HTML page and a Markdown summary.

A report folder holds everything it shows (images are copied in), so it can be
uploaded as a CI artifact and opened anywhere. Shard reports merge into one.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..files import write_atomic
from ..safepath import WRITE_FIX, BadFile, inside, own_folder, regular_files, shown
from ..safetext import clean
from .imagefile import is_webp

STATUS_ORDER = ("changed", "annotation", "new", "missing", "orphaned", "unchanged")
TITLES = {
    "changed": "Changed (the UI looks different)",
    "annotation": "Annotation only (same UI, marks moved or drawn differently)",
    "new": "New",
    "missing": "Missing from the committed tree",
    "orphaned": "Orphaned (committed, no guide step makes it)",
    "unchanged": "Unchanged",
}


@dataclass(frozen=True)
class Item:
    key: str
    status: str
    changed_pixels: int = 0
    total_pixels: int = 0
    before: str = ""
    after: str = ""
    diff: str = ""


@dataclass(frozen=True)
class Results:
    items: tuple[Item, ...] = ()
    manifest: dict[str, str] = field(default_factory=dict)
    failures: tuple[str, ...] = ()
    shots: dict[str, str] = field(default_factory=dict)
    """A failure line's screenshot (the screen when it failed), by line."""
    not_run: tuple[str, ...] = ()
    """The runs a failed setup guide kept from running, each with its setup guide."""

    @property
    def dirty(self) -> bool:
        return (
            bool(self.failures)
            or bool(self.not_run)
            or any(i.status != "unchanged" for i in self.items)
        )


def image_name(key: str, kind: str, data: bytes) -> str:
    """A report image's name: committed images are WebP, the diff and the browser's
    screenshots PNG, and each file is named for what it holds."""
    suffix = ".webp" if is_webp(data) else ".png"
    return "images/" + key.replace("/", "__") + f".{kind}{suffix}"


def write_images(folder: Path, key: str, images: dict[str, bytes]) -> dict[str, str]:
    names = {}
    for kind, data in images.items():
        if data:
            names[kind] = image_name(key, kind, data)
            write_atomic(folder / names[kind], data)
    return names


def _sorted(items: Iterable[Item]) -> tuple[Item, ...]:
    unique = {item.key: item for item in items}
    return tuple(sorted(unique.values(), key=lambda i: (STATUS_ORDER.index(i.status), i.key)))


def _percent(item: Item) -> str:
    if not item.total_pixels:
        return ""
    return f"{item.changed_pixels:,} px ({100 * item.changed_pixels / item.total_pixels:.2f}%)"


def _code(text: str) -> str:
    """text as a Markdown code span that no backtick in it can end early."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _cleaned(results: Results) -> Results:
    """results with every string clean (safetext.clean): failure lines hold text
    from guides and from the app, and a merged report's keys come from files."""
    items = (
        Item(
            clean(i.key),
            i.status,
            i.changed_pixels,
            i.total_pixels,
            clean(i.before),
            clean(i.after),
            clean(i.diff),
        )
        for i in results.items
    )
    return Results(
        _sorted(items),
        {clean(k): clean(v) for k, v in sorted(results.manifest.items())},
        tuple(sorted(clean(line) for line in results.failures)),
        {clean(k): clean(v) for k, v in sorted(results.shots.items())},
        tuple(sorted(clean(line) for line in results.not_run)),
    )


def summary_markdown(results: Results) -> str:
    counts = {s: sum(1 for i in results.items if i.status == s) for s in STATUS_ORDER}
    lines = ["## Screenshots", ""]
    lines.append(
        " · ".join(f"{counts[s]} {s}" for s in STATUS_ORDER if counts[s]) or "no screenshots"
    )
    if results.failures:
        lines += ["", f"### {len(results.failures)} guide runs failed", ""]
        lines += [f"- {_code(line)}" for line in results.failures]
    if results.not_run:
        lines += ["", f"### {len(results.not_run)} guide runs not run", ""]
        lines += [f"- not run: {_code(line)}" for line in results.not_run]
    for status in STATUS_ORDER[:-1]:
        shown = [i for i in results.items if i.status == status]
        if shown:
            lines += ["", f"### {TITLES[status]}", ""]
            lines += [f"- {_code(i.key)} {_percent(i)}".rstrip() for i in shown]
    return "\n".join(lines) + "\n"


def summary_html(results: Results) -> str:
    esc = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>Screenshot report</title><style>",
        "body{font-family:'Noto Sans CJK JP',sans-serif;margin:24px;color:#202124}",
        "h2{margin-top:32px}figure{margin:0}img{max-width:100%;border:1px solid #ccc}",
        ".row{display:grid;grid-template-columns:repeat(3,1fr);gap:12px;margin:8px 0 24px}",
        "figcaption{font-size:13px;color:#555}code{background:#f1f3f4;padding:1px 4px}",
        "</style></head><body><h1>Screenshot report</h1>",
    ]
    counts = {s: sum(1 for i in results.items if i.status == s) for s in STATUS_ORDER}
    parts.append("<p>" + esc(", ".join(f"{counts[s]} {s}" for s in STATUS_ORDER)) + "</p>")
    if results.failures:
        parts.append(f"<h2>{len(results.failures)} guide runs failed</h2><ul>")
        for line in results.failures:
            shot = results.shots.get(line)
            image = (
                f"<figure><img src='{esc(shot)}' alt='the screen when it failed'>"
                "<figcaption>the screen when it failed</figcaption></figure>"
                if shot
                else ""
            )
            parts.append(f"<li><code>{esc(line)}</code>{image}</li>")
        parts.append("</ul>")
    if results.not_run:
        parts.append(f"<h2>{len(results.not_run)} guide runs not run</h2><ul>")
        parts += [f"<li>not run: <code>{esc(line)}</code></li>" for line in results.not_run]
        parts.append("</ul>")
    for status in STATUS_ORDER[:-1]:
        shown = [i for i in results.items if i.status == status]
        if not shown:
            continue
        parts.append(f"<h2>{esc(TITLES[status])} ({len(shown)})</h2>")
        for item in shown:
            parts.append(f"<h3><code>{esc(item.key)}</code> {esc(_percent(item))}</h3>")
            cells = [("before", item.before), ("after", item.after), ("diff", item.diff)]
            figures = [
                f"<figure><img src='{esc(src)}' alt='{esc(kind)}: {esc(item.key)}'>"
                f"<figcaption>{kind}</figcaption></figure>"
                for kind, src in cells
                if src
            ]
            if figures:
                parts.append("<div class='row'>" + "".join(figures) + "</div>")
    parts.append("</body></html>\n")
    return "".join(parts)


def write_report(folder: Path, results: Results) -> None:
    """Write the report's files, and delete the images of earlier reports in the
    folder, which this one does not show: the folder is uploaded as it is. A link
    among the images stops it before anything is written or deleted."""
    results = _cleaned(results)
    images = own_folder(folder, folder / "images")
    found = regular_files(images, WRITE_FIX) if images.is_dir() else []
    data = {
        "items": [asdict(i) for i in results.items],
        "manifest": results.manifest,
        "failures": list(results.failures),
        "shots": results.shots,
        "not_run": list(results.not_run),
    }
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_atomic(folder / "results.json", text.encode())
    write_atomic(folder / "summary.md", summary_markdown(results).encode())
    write_atomic(folder / "index.html", summary_html(results).encode())
    shows = {name for i in results.items for name in (i.before, i.after, i.diff) if name}
    shows |= set(results.shots.values())
    for image in found:
        if image.relative_to(folder).as_posix() not in shows:
            image.unlink()


READ_FIX = "pass the --report folder a guidegen capture wrote"


def read_results(folder: Path) -> Results:
    """A report's results.json, checked key by key: it may come from another machine."""
    path = folder / "results.json"

    def expect(ok: bool, key: str, what: str) -> None:
        if not ok:
            raise BadFile(f"{shown(path)}: {key} must be {what}; {READ_FIX}")

    def strings(value: object) -> bool:
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())

    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BadFile(f"{shown(path)}: not valid JSON ({error}); {READ_FIX}") from None
    expect(isinstance(data, dict), "the file", "an object")
    items, manifest = data.get("items"), data.get("manifest", {})
    failures, shots = data.get("failures", []), data.get("shots", {})
    not_run = data.get("not_run", [])
    expect(isinstance(items, list), "items", "a list")
    expect(strings(manifest), "manifest", "an object of strings")
    expect(strings(shots), "shots", "an object of strings")
    expect(
        isinstance(failures, list) and all(isinstance(f, str) for f in failures),
        "failures",
        "a list of strings",
    )
    expect(
        isinstance(not_run, list) and all(isinstance(n, str) for n in not_run),
        "not_run",
        "a list of strings",
    )
    for line, shot in shots.items():
        inside(folder, shot, path, f"shots[{line[:40]!r}]", READ_FIX)
    checked = []
    for index, item in enumerate(items):
        at = f"items[{index}]"
        known = set(Item.__dataclass_fields__)
        expect(isinstance(item, dict) and set(item) <= known, at, "an item")
        expect(isinstance(item.get("key"), str), f"{at}.key", "a string")
        expect(item.get("status") in STATUS_ORDER, f"{at}.status", " or ".join(STATUS_ORDER))
        for name in ("changed_pixels", "total_pixels"):
            value = item.get(name, 0)
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            expect(ok, f"{at}.{name}", "a count")
        for name in ("before", "after", "diff"):
            value = item.get(name, "")
            expect(isinstance(value, str), f"{at}.{name}", "a path")
            if value:
                inside(folder, value, path, f"{at}.{name}", READ_FIX)
        checked.append(Item(**item))
    return Results(tuple(checked), dict(manifest), tuple(failures), dict(shots), tuple(not_run))


def merge(folders: Sequence[Path], out: Path) -> Results:
    """One report from shard reports: items, manifest and failures united."""
    items: list[Item] = []
    manifest: dict[str, str] = {}
    failures: list[str] = []
    shots: dict[str, str] = {}
    not_run: list[str] = []
    for folder in folders:
        results = read_results(folder)
        items += results.items
        manifest.update(results.manifest)
        failures += results.failures
        shots.update(results.shots)
        not_run += results.not_run
        if (folder / "images").is_dir() and folder.resolve() != out.resolve():
            # Only regular files: a link could copy any file of the machine into the report.
            fix = "a report holds only the images guidegen wrote"
            for image in regular_files(folder / "images", fix):
                # One by one, so that a full disk names the image it could not write.
                target = out / "images" / image.relative_to(folder / "images")
                write_atomic(target, image.read_bytes())
    merged = Results(
        _sorted(items), manifest, tuple(sorted(set(failures))), shots, tuple(sorted(set(not_run)))
    )
    write_report(out, merged)
    return merged
