"""A non-editable install (the wheel) runs `kg build` and `kg validate` with its shipped data."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import EXAMPLE_DIR, ROOT


@pytest.mark.slow
def test_wheel_install_runs_build_and_validate(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    # Offline: the build backend comes from the test venv, not from an isolated download.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
                    "--no-build-isolation", "-w", str(wheels), str(ROOT)],
                   check=True, timeout=300)
    (wheel,) = wheels.glob("newskg-*.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    py = venv / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # Dependencies come from the test venv (a plain path entry: its .pth files, including the
    # editable install's, are not processed), the package itself only from the wheel.
    Path(site, "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    str(wheel)], check=True, timeout=300)

    work = tmp_path / "work"
    shutil.copytree(EXAMPLE_DIR, work)
    where = subprocess.run([str(py), "-c", "import kg, kg.resources as r; "
                            "print(kg.__file__); print(r.shapes_path())"],
                           cwd=work, check=True, capture_output=True, text=True).stdout
    assert str(ROOT) not in where and "/kg/_data/shapes/" in where, where

    kg = venv / "bin" / "kg"
    build = subprocess.run([str(kg), "build", "facts.yaml", "-o", "graph.ttl"], cwd=work,
                           capture_output=True, text=True, timeout=300, check=False)
    assert build.returncode == 0, build.stderr
    assert (work / "graph.ttl").stat().st_size > 50_000
    check = subprocess.run([str(kg), "validate", "graph.ttl"], cwd=work, capture_output=True,
                           text=True, timeout=300, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("Validation: conforms")
    schema = subprocess.run([str(kg), "schema"], cwd=work, capture_output=True, text=True,
                            timeout=300, check=True)
    assert '"title": "newskg facts file"' in schema.stdout
