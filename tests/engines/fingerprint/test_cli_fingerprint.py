"""`borderwatch fingerprint`: enrol, search and match through the CLI, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from borderwatch.engines.fingerprint import synthetic, templatefile
from borderwatch.engines.fingerprint.cli import main


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for s in range(3):
        for i in range(2):
            p = tmp_path / f"s{s}_{i}.bwt"
            templatefile.save(synthetic.impression(4, s, 1, i), p)
            out[f"s{s}_{i}"] = p
    return out


def test_enrol_search_match(files: dict[str, Path], tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    gal = tmp_path / "gallery"
    for s in range(3):
        assert main(["enrol", str(gal), f"subject-{s}", f"1={files[f's{s}_0']}"]) == 0
    capsys.readouterr()
    assert main(["search", str(gal), f"1={files['s1_1']}", "--top", "2"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found[0]["subject"] == "subject-1"
    assert main(["match", str(files["s2_0"]), str(files["s2_1"])]) == 0
    genuine = json.loads(capsys.readouterr().out)
    assert main(["match", str(files["s2_0"]), str(files["s0_1"])]) == 0
    assert genuine["score"] > json.loads(capsys.readouterr().out)["score"]


def test_bad_inputs_give_exit_2_and_a_message(
    files: dict[str, Path], tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.bwt"
    junk.write_bytes(b"not a template")
    assert main(["match", str(junk), str(files["s0_0"])]) == 2
    assert "junk.bwt" in capsys.readouterr().err
    assert main(["match", str(tmp_path / "nope.bwt"), str(files["s0_0"])]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["search", str(tmp_path / "empty"), f"1={files['s0_0']}"]) == 2
    assert "CURRENT" in capsys.readouterr().err
    assert main(["enrol", str(tmp_path / "g"), "x", f"11={files['s0_0']}"]) == 2
    assert not (tmp_path / "g").exists()
    assert main(["frobnicate"]) == 2
    assert main(["search", "--help"]) == 0
