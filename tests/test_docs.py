"""The docs cover what a user meets: every finding code with both its messages, and every page linked."""
from __future__ import annotations

import re

from conftest import ROOT, documentation
from cpreport.findings import Code


def test_every_finding_code_is_in_the_findings_page_with_both_messages():
    page = (ROOT / "docs" / "findings.md").read_text("utf-8")
    for code in Code:
        severity, english, arabic = code.value
        row = re.search(rf"^\| {code.name} \| {severity} \| (.*) \| (.*) \|$", page, re.M)
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
