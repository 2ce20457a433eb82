"""What capture decides before any browser starts (capture): the jobs, the shards,
which jobs are out of date, the manifest and the folders nothing makes any more."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from PIL import Image

from guidegen.capture import workers
from guidegen.capture.jobs import Job, job_dir, job_key, orphaned_folders, plan, shard
from guidegen.capture.manifest import (
    fingerprints,
    outdated,
    read_manifest,
    update_manifest,
    watched,
)
from guidegen.config import Config
from guidegen.guide.model import Guide


def guide(id: str, platforms: list[str], **extra: Any) -> Guide:
    return Guide.model_validate(
        {
            "id": id,
            "title": {"en": "T", "ja": "T"},
            "summary": {"en": "S", "ja": "S"},
            "platforms": platforms,
            "steps": [{"text": {"en": "x", "ja": "x"}}],
            **extra,
        }
    )


def config(root: Path, **changes: Any) -> Config:
    (root / "mockshop").mkdir(exist_ok=True)
    return Config(root=root, **{"languages": ("ja", "en"), "shop_dir": "mockshop", **changes})


def names(jobs: list[Job]) -> list[str]:
    return [job.name for job in jobs]


def test_a_job_per_guide_platform_language_and_scheme_in_a_stable_order(tmp_path: Path) -> None:
    two = config(tmp_path, color_schemes=("light", "dark"))
    jobs = plan([guide("b", ["web"]), guide("a", ["ios", "web"], color_schemes=["light"])], two)
    assert names(jobs) == [
        "a › ios/ja",
        "a › ios/en",
        "a › web/ja",
        "a › web/en",
        "b › web/ja",
        "b › web/ja/dark",
        "b › web/en",
        "b › web/en/dark",
    ]
    narrowed = plan(
        [guide("a", ["ios", "web"]), guide("b", ["web"])],
        two,
        guide_ids=["b"],
        langs=["en"],
        schemes=["dark"],
    )
    assert names(narrowed) == ["b › web/en/dark"]
    assert names(plan([guide("a", ["ios", "web"])], two, platforms=["ios"], schemes=["light"])) == [
        "a › ios/ja",
        "a › ios/en",
    ]


def test_shards_differ_by_one_job_at_most_and_together_are_the_whole(tmp_path: Path) -> None:
    jobs = plan([guide(g, ["ios", "android", "web"]) for g in "abc"], config(tmp_path))
    shards = [shard(jobs, index, 4) for index in (1, 2, 3, 4)]
    assert sorted(len(s) for s in shards) == [4, 4, 5, 5]
    assert sorted(job_key(j) for s in shards for j in s) == sorted(job_key(j) for j in jobs)


def committed(folder: Path) -> None:
    """A job folder as a capture leaves it: frames.json and its step's image."""
    folder.mkdir(parents=True)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "WEBP", lossless=True)
    (folder / "step-1.webp").write_bytes(buffer.getvalue())
    frame = {"raw": "raw/step-1-1.png", "marks": [], "redactions": []}
    meta = {"guide": "a", "platform": "web", "lang": "en", "device": "Desktop", "scale": 1}
    meta["steps"] = [{"id": "step-1", "frames": [frame]}]
    (folder / "frames.json").write_text(json.dumps(meta))


def test_a_job_is_out_of_date_until_its_images_and_its_fingerprint_are_there(
    tmp_path: Path,
) -> None:
    project = config(tmp_path, languages=("en",))
    (tmp_path / "mockshop" / "index.html").write_text("<p>shop</p>")
    (job,) = plan([guide("a", ["web"])], project)
    prints = fingerprints(project, [job])
    assert outdated(project, [job], prints) == [job]  # nothing captured yet
    committed(job_dir(project, job))
    assert outdated(project, [job], prints) == [job]  # no manifest entry
    update_manifest(project, prints)
    assert outdated(project, [job], prints) == []
    # What the images are made from: the app's files, the guide and the device.
    (tmp_path / "mockshop" / "index.html").write_text("<p>shop, changed</p>")
    assert outdated(project, [job], fingerprints(project, [job])) == [job]
    (tmp_path / "mockshop" / "index.html").write_text("<p>shop</p>")
    assert fingerprints(project, [job]) == prints
    (moved,) = plan([guide("a", ["web"], related=["b"])], project)
    assert fingerprints(project, [moved]) != prints
    # A step image that is not whole is captured again, whatever the manifest says.
    (job_dir(project, job) / "step-1.webp").write_bytes(b"RIFF")
    assert outdated(project, [job], prints) == [job]


def test_an_app_elsewhere_cannot_be_fingerprinted_so_is_always_run(tmp_path: Path) -> None:
    project = config(tmp_path, base_url="http://127.0.0.1:9/")
    assert fingerprints(project, plan([guide("a", ["web"])], project)) == {}


def test_update_manifest_keeps_every_other_entry_and_a_broken_one_is_empty(
    tmp_path: Path,
) -> None:
    project = config(tmp_path)
    assert read_manifest(project) == {}
    update_manifest(project, {"en/web/a": "1", "en/web/b": "2"})
    update_manifest(project, {"en/web/b": "3"})
    assert read_manifest(project) == {"en/web/a": "1", "en/web/b": "3"}
    (tmp_path / "screenshots" / "manifest.json").write_text("{cut")
    assert read_manifest(project) == {}


def test_folders_no_job_makes_any_more_are_orphaned(tmp_path: Path) -> None:
    project = config(tmp_path, languages=("en",), color_schemes=("light", "dark"))
    jobs = plan([guide("a", ["web"])], project)
    screenshots = tmp_path / "screenshots" / "en" / "web"
    for folder in ("a", "a/dark", "gone", "gone/dark"):
        committed(screenshots / folder)
    assert orphaned_folders(project, jobs) == [screenshots / "gone", screenshots / "gone/dark"]


def test_watch_globs_are_relative_to_the_project_or_absolute(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text("")
    (tmp_path / "app" / "models.py").write_text("")
    relative = sorted(watched(tmp_path, "app/*.py"))
    assert relative == [tmp_path / "app" / "models.py", tmp_path / "app" / "views.py"]
    assert sorted(watched(tmp_path, str(tmp_path / "app" / "*.py"))) == relative
    assert list(watched(tmp_path, str(tmp_path / "app" / "views.py"))) == [relative[1]]


def test_a_long_capture_gets_a_browser_more_than_the_cores(monkeypatch) -> None:
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    assert workers.default_workers(workers.RUNS_PER_WORKER * 3 - 1) == 2
    assert workers.default_workers(workers.RUNS_PER_WORKER * 3) == 3
    monkeypatch.setattr(workers.os, "cpu_count", lambda: None)
    assert workers.default_workers(1) == 1
