"""Throwaway virtual environments layered over the one running the tests.

``python -m venv --system-site-packages`` shows the new venv the *base* interpreter's packages. When the
suite itself runs inside a venv (as the README tells Debian and Ubuntu users to), that base has neither
Jupyter nor netcourse. A layered venv sees, in this order: its own site-packages (what a test installs
there wins), then every site-packages directory of the running interpreter (processed with their ``.pth``
files, so editable installs work), then the base interpreter's. Nothing is copied or downloaded.
"""

from __future__ import annotations

import site
import subprocess
import sys
import sysconfig
from pathlib import Path

LAYER_FILE = "_netcourse_test_layer.pth"


def running_site_dirs() -> list[str]:
    """The running interpreter's site-packages directories (venv first, then base)."""
    dirs = [*site.getsitepackages(), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    return list(dict.fromkeys(d for d in dirs if Path(d).is_dir()))


def make_layered_venv(venv: Path, env: dict[str, str], *, timeout: float = 300) -> Path:
    """Create ``venv`` without pip, layered over the running environment; return its ``python``."""
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
                   env=env, check=True, capture_output=True, timeout=timeout)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             env=env, check=True, capture_output=True, text=True, timeout=timeout).stdout.strip()
    # A .pth line that starts with "import" is executed; addsitedir also reads that directory's .pth files.
    lines = [f"import site; site.addsitedir({d!r})" for d in running_site_dirs() if d != purelib]
    (Path(purelib) / LAYER_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return python
