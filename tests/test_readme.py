"""The README stays true: it lists every code and setting, and CI runs its test command."""

from __future__ import annotations

import re

from helpers import REPO

from generator.config import Config
from generator.diagnostics import CODES

README = (REPO / "README.md").read_text()


def test_every_code_is_documented():
    documented = set(re.findall(r"^\| ([EW]\d{3}) \|", README, flags=re.MULTILINE))
    assert documented == set(CODES)


def test_every_setting_is_documented():
    for section, model in Config.model_fields.items():
        annotation = model.annotation
        if section in ("fields", "capacity"):  # tables keyed by the user: a name, a quarter
            assert f"`{section}.<{'name' if section == 'fields' else 'quarter'}>`" in README
            continue
        for name in annotation.model_fields:
            assert f"`{section}.{name}`" in README, f"{section}.{name} missing from README"


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"```sh\n(.+?)\n```", README)
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (REPO / ".ci" / "run").read_text()


def test_ci_runs_it_in_a_new_virtual_environment():
    # a fresh venv per run: nothing installed on the machine by hand can make CI green
    script = (REPO / ".ci" / "run").read_text()
    venv = script.index("python3 -m venv")
    activate = script.index("/bin/activate")
    commands = re.findall(r"```sh\n(.+?)\n```", README)
    test_command = next(c for c in commands if "pytest" in c)
    assert venv < activate < script.index(test_command)
    assert "mktemp -d" in script
