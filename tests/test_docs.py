"""The documentation holds: its links resolve, its commands exist and answer --help, every error a
user can meet is in the troubleshooting page, and the addons' own pages are built from it."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
COMMAND = re.compile(r"(?<![\w/.-])(scripts/[a-z_]+(?:\.py)?)(?![\w/-])")
ERROR_CLASSES = {"UserError", "AccessError", "ValidationError", "RedirectWarning"}
TROUBLESHOOTING = REPO / "docs" / "troubleshooting.md"


def slug(heading):
    """GitHub's anchor of a heading."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text, flags=re.UNICODE)
    return text.replace(" ", "-")


def anchors(page):
    return {slug(line.lstrip("#")) for line in page.read_text().splitlines() if line.startswith("#")}


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_internal_link_resolves(page):
    broken = []
    for target in LINK.findall(page.read_text()):
        if re.match(r"^[a-z]+:", target):
            continue
        path, _sep, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target}: no such heading")
    assert not broken, f"{page.name}: {broken}"


def documented_commands():
    found = set()
    for page in PAGES:
        found.update(COMMAND.findall(page.read_text()))
    return sorted(found)


def test_the_docs_name_the_commands():
    assert {"scripts/run", "scripts/test"} <= set(documented_commands())


@pytest.mark.parametrize("command", documented_commands())
def test_every_command_in_the_docs_exists_and_answers_help(command):
    path = REPO / command
    assert path.exists(), f"{command} is named in the docs but does not exist"
    argv = [sys.executable, str(path), "--help"] if path.suffix == ".py" else [str(path), "--help"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=REPO, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(result.stdout.strip()) > 40, "a description of the command"


# -- the errors a user can meet
def _literal(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and node.args:
        return _literal(node.args[0])
    return None


def error_texts():
    """{text: place} of every error message of both addons: the texts of UserError, AccessError and
    ValidationError raised, Zoom's errors as the client names them, and the messages the code
    builds for refused writes and for an interview's state."""
    found = {}
    for path in sorted(REPO.glob("herp_zoom*/**/*.py")):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in ERROR_CLASSES and node.exc.args and (text := _literal(node.exc.args[0])):
                    found[text] = f"{path.relative_to(REPO)}:{node.lineno}"
            # Messages returned for refused writes, and Zoom's errors' own messages.
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_code_fields_message"):
                for call in ast.walk(node):
                    if isinstance(call, ast.Call) and (text := _literal(call)):
                        found[text] = f"{path.relative_to(REPO)}:{call.lineno}"
            if isinstance(node, ast.Assign) and any(getattr(target, "id", "") == "default_message"
                                                    for target in node.targets):
                if text := _literal(node.value):
                    found[text] = f"{path.relative_to(REPO)}:{node.lineno}"
    tree = ast.parse((REPO / "herp_zoom/models/zoom_reason_texts.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for value in node.values:
                if text := _literal(value):
                    found[text] = f"herp_zoom/models/zoom_reason_texts.py:{value.lineno}"
    return found


def normalized(text):
    return " ".join(text.replace("\\", "").split())


def test_the_troubleshooting_page_lists_every_error_a_user_can_meet():
    page = normalized(TROUBLESHOOTING.read_text())
    texts = error_texts()
    assert len(texts) > 50
    missing = {text: place for text, place in texts.items() if normalized(text) not in page}
    assert not missing, "add each to docs/troubleshooting.md with its cause and remedy:\n" + "\n".join(
        f"{place}: {text}" for text, place in sorted(missing.items(), key=lambda item: item[1]))


def test_each_troubleshooting_entry_says_cause_and_remedy():
    entries = TROUBLESHOOTING.read_text().split("\n### ")[1:]
    assert entries
    for entry in entries:
        assert "**Cause.**" in entry and "**Remedy.**" in entry, entry.splitlines()[0]


# -- the addons' pages, built from the docs
def test_the_addons_readme_fragments_and_apps_pages_are_built_from_the_docs():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "build_addon_pages.py"), "--check"],
                            capture_output=True, text=True, timeout=60, cwd=REPO, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
