"""pre-commit and the test command (scripts/lint) run the same checks at the same versions."""

from pathlib import Path

import yaml

REPO_DIR = Path(__file__).resolve().parents[1]
# Each hook repository of .pre-commit-config.yaml, and the package scripts/lint runs instead.
PACKAGE_OF_HOOK_REPOSITORY = {
    "https://github.com/pre-commit/pre-commit-hooks": "pre-commit-hooks",
    "https://github.com/astral-sh/ruff-pre-commit": "ruff",
    "https://github.com/OCA/odoo-pre-commit-hooks": "oca-odoo-pre-commit-hooks",
    "https://github.com/OCA/pylint-odoo": "pylint-odoo",
}


def test_pre_commit_hooks_are_the_versions_of_the_dev_requirements():
    config = yaml.safe_load((REPO_DIR / ".pre-commit-config.yaml").read_text())
    pins = dict(
        line.split("#")[0].strip().split("==")
        for line in (REPO_DIR / "requirements" / "dev.txt").read_text().splitlines()
        if "==" in line.split("#")[0]
    )
    hooks = {PACKAGE_OF_HOOK_REPOSITORY[repo["repo"]]: repo["rev"].removeprefix("v") for repo in config["repos"]}
    assert hooks == {package: pins[package] for package in PACKAGE_OF_HOOK_REPOSITORY.values()}
