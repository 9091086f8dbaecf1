"""The docs cover what a user meets: every finding code with both its messages, and every page linked."""
from __future__ import annotations

import re

from conftest import ROOT, documentation
from cpreport.findings import Code


def documented(code: Code) -> tuple[str, str]:
    """A code's English message and its Arabic translation as the findings page shows them: placeholders as
    {name}; a message with plural forms in the form for a few (3 to 10)."""
    from cpreport.findings import Plural
    from cpreport.i18n import translations

    template, arabic = code.template, translations("ar")
    if isinstance(template, Plural):
        english, translated = template.plural, arabic.ngettext(template.singular, template.plural, 3)
    else:
        english, translated = template, arabic.gettext(template)
    return tuple(re.sub(r"%\((\w+)\)s", r"{\1}", text).replace("%%", "%") for text in (english, translated))


def findings_table() -> str:
    """The table of every code, as docs/findings.md holds it (`python tests/test_docs.py` writes it there)."""
    return "\n".join(f"| {code.name} | {code.severity} | {' | '.join(documented(code))} |" for code in Code)


def test_every_finding_code_is_in_the_findings_page_with_both_messages():
    page = (ROOT / "docs" / "findings.md").read_text("utf-8")
    for code in Code:
        english, arabic = documented(code)
        row = re.search(rf"^\| {code.name} \| {code.severity} \| (.*) \| (.*) \|$", page, re.M)
        assert row, code.name
        assert row[1] == english and row[2] == arabic, code.name


def test_every_page_of_the_docs_is_linked_from_the_readme_and_every_link_leads_somewhere():
    readme = (ROOT / "README.md").read_text("utf-8")
    for page in (ROOT / "docs").glob("*.md"):
        assert f"(docs/{page.name})" in readme, page.name
    for source in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+\.md)\)", source.read_text("utf-8")):
            assert (source.parent / target).is_file(), (source.name, target)


def test_the_readme_is_a_short_front_door():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert len(readme.splitlines()) < 150
    assert "scripts/debian-packages --tests" in readme and ".venv/bin/python -m pytest" in readme
    assert "cpreport build" in documentation()


if __name__ == "__main__":  # the findings page's table of codes, made again from the codes and the catalog
    page = ROOT / "docs" / "findings.md"
    text = page.read_text("utf-8")
    text = re.sub(r"(?:^\| CP\d{3} \| (?:error|warning|note) \| .*\n)+", lambda _: findings_table() + "\n", text, count=1, flags=re.M)
    page.write_text(text, "utf-8")


def test_the_map_of_the_house_names_every_module():
    """docs/architecture.md is where the next engineer starts: every module of the package is on it, by its name."""
    package = ROOT / "cpreport"
    mapped = (ROOT / "docs" / "architecture.md").read_text("utf-8").replace("```", "")
    missing = [path.relative_to(package).as_posix() for path in sorted(package.rglob("*.py"))
               if path.name not in ("__init__.py", "__main__.py") and "__pycache__" not in path.parts
               and not {f"`{path.name}`", f"`{path.stem}`", f"`{path.relative_to(package).as_posix()}`"} & set(
                   re.findall(r"`[^`]+`", mapped))]
    assert missing == [], f"add them to docs/architecture.md: {missing}"
