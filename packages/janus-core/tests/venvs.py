"""Fresh virtual environments for tests that install packages (helpers, not tests)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path


def fresh_venv(folder: Path, see: Iterable[str | Path]) -> tuple[Path, Path]:
    """Create a venv in ``folder`` that also imports from the paths in ``see`` (a .pth file).

    Returns:
        The venv's python, and its site-packages folder.
    """
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    python = folder / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "zz_outer_env.pth").write_text("\n".join(sorted(map(str, see))) + "\n")
    return python, site
