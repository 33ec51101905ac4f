"""Builds each addon's own pages from the documentation, which is their one source.

The docs mark what an addon's pages say with ``<!-- addon:<addon>:<PART> -->`` ... ``<!-- /addon -->``
(PART: DESCRIPTION, CONFIGURE or USAGE). From those parts this writes, for every addon:
  <addon>/readme/<PART>.md              OCA's readme fragments
  <addon>/README.rst                    the readme PyPI and OCA show, from the fragments
  <addon>/static/description/index.html the Apps page, with the screenshots kept in that folder

  python scripts/build_addon_pages.py           write them
  python scripts/build_addon_pages.py --check   exit 1, naming them, when a page differs from the docs
"""

import argparse
import ast
import html
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PARTS = ("DESCRIPTION", "CONFIGURE", "USAGE")
MARK = re.compile(r"<!-- addon:(?P<addon>[a-z_]+):(?P<part>[A-Z]+) -->\n(?P<body>.*?)<!-- /addon -->", re.S)
RST_TITLES = {"CONFIGURE": "Configuration", "USAGE": "Usage"}
HTML_TITLES = {"DESCRIPTION": "What it does", "CONFIGURE": "Configuration", "USAGE": "Usage"}


def parts_from_docs():
    """{addon: {PART: markdown}} of every marked part of docs/*.md, in the pages' order."""
    found = {}
    for page in sorted((REPO / "docs").glob("*.md")):
        for match in MARK.finditer(page.read_text()):
            found.setdefault(match["addon"], {})
            found[match["addon"]][match["part"]] = (
                found[match["addon"]].get(match["part"], "") + match["body"].strip() + "\n\n")
    return {addon: {part: text.rstrip() + "\n" for part, text in parts.items()} for addon, parts in found.items()}


def manifest(addon):
    return ast.literal_eval((REPO / addon / "__manifest__.py").read_text())


def blocks(markdown):
    """(kind, lines) of the markdown's paragraphs and lists ("p", "ul", "ol")."""
    result, current, kind = [], [], None
    for line in markdown.splitlines() + [""]:
        bullet = re.match(r"^(- |\d+\. )(.*)", line)
        if not line.strip():
            if current:
                result.append((kind, current))
            current, kind = [], None
        elif bullet:
            item_kind = "ul" if bullet[1] == "- " else "ol"
            if kind not in (None, item_kind) or (kind == "p"):
                result.append((kind, current))
                current = []
            kind = item_kind
            current.append(bullet[2])
        elif kind in ("ul", "ol") and line.startswith("  "):
            current[-1] += " " + line.strip()
        else:
            if kind in ("ul", "ol"):
                result.append((kind, current))
                current = []
            kind = "p"
            current.append(line.strip())
    return result


def inline_html(text):
    text = html.escape(text, quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"\*([^*]+)\*", r"<i>\1</i>", text)
    return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', text)


def inline_rst(text):
    text = re.sub(r"`([^`]+)`", r"``\1``", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", text)
    return text


def to_html(markdown):
    out = []
    for kind, lines in blocks(markdown):
        if kind == "p":
            out.append(f"    <p>{inline_html(' '.join(lines))}</p>")
        else:
            items = "\n".join(f"      <li>{inline_html(item)}</li>" for item in lines)
            out.append(f"    <{kind}>\n{items}\n    </{kind}>")
    return "\n".join(out)


def to_rst(markdown):
    out = []
    for kind, lines in blocks(markdown):
        if kind == "p":
            out.append(inline_rst(" ".join(lines)))
        else:
            marker = "-" if kind == "ul" else "#."
            out.append("\n".join(f"{marker} {inline_rst(item)}" for item in lines))
    return "\n\n".join(out)


def pages_of(addon, parts):
    """{path: text} of the addon's pages."""
    name = manifest(addon)["name"]
    summary = manifest(addon)["summary"]
    pages = {REPO / addon / "readme" / f"{part}.md": text for part, text in parts.items()}
    rst = ["=" * len(name), name, "=" * len(name), "", to_rst(parts.get("DESCRIPTION", ""))]
    for part in ("CONFIGURE", "USAGE"):
        if part in parts:
            title = RST_TITLES[part]
            rst += ["", title, "=" * len(title), "", to_rst(parts[part])]
    pages[REPO / addon / "README.rst"] = "\n".join(rst).rstrip() + "\n"
    sections = [
        '<section class="oe_container">\n  <div class="oe_row oe_spaced">\n'
        f'    <h2 class="oe_slogan">{html.escape(name)}</h2>\n'
        f'    <h3 class="oe_slogan">{html.escape(summary)}</h3>\n  </div>\n</section>'
    ]
    screenshots = sorted(path.name for path in (REPO / addon / "static" / "description").glob("*.png")
                         if path.name != "icon.png")
    for part in PARTS:
        if part in parts:
            if part == "USAGE" and screenshots:
                images = "\n".join(f'      <img src="{name}" alt="{html.escape(name[:-4])}"/>' for name in screenshots)
                sections.append('<section class="oe_container">\n  <div class="oe_row oe_spaced">\n'
                                f'    <div class="oe_demo oe_screenshot">\n{images}\n    </div>\n  </div>\n</section>')
            sections.append('<section class="oe_container">\n  <div class="oe_row oe_spaced">\n'
                            f"    <h2>{HTML_TITLES[part]}</h2>\n{to_html(parts[part])}\n  </div>\n</section>")
    pages[REPO / addon / "static" / "description" / "index.html"] = "\n\n".join(sections) + "\n"
    return pages


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare, exit 1 when a page differs")
    args = parser.parse_args()
    differing = []
    for addon, parts in sorted(parts_from_docs().items()):
        for path, text in pages_of(addon, parts).items():
            if not path.exists() or path.read_text() != text:
                differing.append(path.relative_to(REPO))
                if not args.check:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text)
    if args.check and differing:
        print("Not as the docs say (run python scripts/build_addon_pages.py):")
        print("\n".join(f"  {path}" for path in differing))
        return 1
    print("written: " + ", ".join(map(str, differing)) if differing else "every addon page follows the docs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
