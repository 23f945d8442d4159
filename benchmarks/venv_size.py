"""How much ``pip install netcourse`` adds to the bare card stack, measured side by side.

Builds two fresh venvs in a temporary folder (pip's configured indexes, its cache):

- ``card-stack``: ``pip install jupyterlab ipywidgets voila nbconvert papermill`` (what any Jupyter/Voila
  course needs anyway);
- ``netcourse``: ``pip install <wheel of this checkout>`` (its runtime dependencies only, no extras);

and prints the size of each (``du``-style, MB of files), their ratio and the biggest packages of each.
Goal: netcourse ≤ 1.3 × the card stack. ``--extra pdf`` measures ``netcourse[pdf]`` as a third venv.

    python benchmarks/venv_size.py [--keep DIR] [--extra pdf]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CARD_STACK = ["jupyterlab", "ipywidgets", "voila", "nbconvert", "papermill"]
MB = 1024 * 1024


def run(cmd: list[str], **kwargs: object) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if done.returncode:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done.stdout


def tree_bytes(path: Path) -> int:
    """Bytes of the files below ``path`` in disk blocks (as ``du`` counts), symlinks not followed."""
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                info = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            total += info.st_blocks * 512
    return total


def make_venv(where: Path, requirements: list[str], env: dict[str, str]) -> Path:
    run([sys.executable, "-m", "venv", str(where)], env=env)
    run([str(where / "bin" / "python"), "-m", "pip", "install", "-q", *requirements], env=env)
    return where


def packages(venv: Path) -> list[tuple[str, int]]:
    """(top-level folder in site-packages, bytes), biggest first; dist-info folders counted with theirs."""
    (site,) = venv.glob("lib/python*/site-packages")
    sizes: dict[str, int] = {}
    for entry in site.iterdir():
        name = re.sub(r"-[^-]+\.dist-info$", "", entry.name).lower().replace("-", "_")
        size = tree_bytes(entry) if entry.is_dir() else entry.lstat().st_blocks * 512
        sizes[name] = sizes.get(name, 0) + size
    return sorted(sizes.items(), key=lambda item: -item[1])


def build_wheel(out: Path, env: dict[str, str]) -> Path:
    source = out / "source"
    ignore = shutil.ignore_patterns("*.egg-info", "__pycache__", "build", "dist")
    shutil.copytree(REPO / "src", source / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out / "dist"), str(source)], env=env)
    (wheel,) = (out / "dist").glob("netcourse-*.whl")
    return wheel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="Build the venvs here and keep them (default: a temp folder).")
    parser.add_argument("--extra", action="append", default=[], help="Also measure netcourse[EXTRA].")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONNOUSERSITE="1")
    base = args.keep or Path(tempfile.mkdtemp(prefix="netcourse-venv-size-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        wheel = build_wheel(base / "wheel", env)
        venvs = {"card-stack": make_venv(base / "card-stack", CARD_STACK, env),
                 "netcourse": make_venv(base / "netcourse", [str(wheel)], env)}
        for extra in args.extra:
            venvs[f"netcourse[{extra}]"] = make_venv(base / f"netcourse-{extra}", [f"{wheel}[{extra}]"], env)
        sizes = {name: tree_bytes(path) for name, path in venvs.items()}
        card = sizes["card-stack"]
        print(f"{'venv':<18} {'MB':>7} {'ratio':>7}")
        for name, size in sizes.items():
            print(f"{name:<18} {size / MB:7.0f} {size / card:7.2f}")
        for name, path in venvs.items():
            top = ", ".join(f"{pkg} {size / MB:.0f}" for pkg, size in packages(path)[:8])
            print(f"biggest in {name} (MB): {top}")
        card_packages = {pkg for pkg, _ in packages(venvs["card-stack"])}
        extra = [(pkg, size) for pkg, size in packages(venvs["netcourse"]) if pkg not in card_packages]
        print("netcourse adds (MB): " + ", ".join(f"{pkg} {size / MB:.1f}" for pkg, size in extra[:12]))
        ratio = sizes["netcourse"] / card
        print(f"netcourse / card stack = {ratio:.2f} (goal <= 1.30)")
        return 0 if ratio <= 1.3 else 1
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
