"""A wheel (`pip install .`, not editable) carries resources/ and checks a report from any folder."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest
from helpers import ROOT, SEEDS


@pytest.mark.slow
def test_the_wheel_carries_its_data_and_checks_a_report(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
                           capture_output=True, text=True, cwd=tmp_path)
    assert build.returncode == 0, build.stderr[-3000:]
    (wheel,) = wheels.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "resources/rules/terms.toml" in names and "resources/profiles.toml" in names
    assert "resources/help.md" in names  # 帮助 → 使用说明
    assert "core/cli.py" in names and not any(n.startswith("tests/") for n in names)

    # installed as files (not a link to the checkout), then run from an unrelated folder
    target = tmp_path / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                              str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = ("import json, sys; from core import cli; import core; "
              "print(core.__file__, file=sys.stderr); sys.exit(cli.main(['check', sys.argv[1], '--json']))")
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run([sys.executable, "-c", script, str(SEEDS[0])], capture_output=True, text=True,
                          encoding="utf-8", cwd=elsewhere, env=env)
    assert str(target) in proc.stderr, proc.stderr[-2000:]  # the installed copy, not the checkout
    result = json.loads(proc.stdout)
    assert proc.returncode == 1 and result["report"]["type"] == "zhuti"
    assert any(f["rule"] == "placeholder" for f in result["findings"])
