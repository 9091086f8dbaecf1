"""A narrative's Markdown as HTML: CommonMark through markdown-it-py, with raw HTML shown as text, live
figures said in the half's language, and links and Latin runs isolated inside Arabic."""
from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from . import live_figures
from .wording import Wording


def _inside_link(tokens, idx: int) -> bool:
    depth = 0
    for token in tokens[:idx]:
        depth += token.type == "link_open"
        depth -= token.type == "link_close"
    return depth > 0


def parser(wording: Wording, figures) -> MarkdownIt:
    """CommonMark without raw HTML (a narrative comes from a shared drive: `<script>` is shown, never run)."""
    # Straight quotes become the language's own: “…” and ’ in English, «…» in Arabic.
    quotes = "«»‹›" if wording.rtl else "“”‘’"
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "quotes": quotes}).enable("smartquotes")

    def text(self, tokens, idx, options, env):
        # Inside a link the text is the link's: escaped only (a web address in it is not made a second link).
        plain = escape if _inside_link(tokens, idx) else wording.prose
        return str(live_figures.replace(tokens[idx].content, figures, wording, plain))

    def heading_open(self, tokens, idx, options, env):
        # The release's headline is the h1 of this half: the narrative's own headings sit below it.
        level = max(int(tokens[idx].tag[1:]), 2)
        return f"<h{level} class=\"subheading\">" if tokens[idx].type == "heading_open" else f"</h{level}>\n"

    def image(self, tokens, idx, options, env):
        # Nothing is fetched for the report: an image in the narrative is said by its description.
        return str(escape(self.renderInlineAsText(tokens[idx].children or [], options, env)))

    md.add_render_rule("text", text)
    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("heading_close", heading_open)
    md.add_render_rule("image", image)
    if wording.rtl:
        # A link inside Arabic keeps to itself: its text and address are not reordered with the sentence.
        md.add_render_rule("link_open", lambda self, tokens, idx, options, env:
                           "<bdi>" + self.renderToken(tokens, idx, options, env))
        md.add_render_rule("link_close", lambda self, tokens, idx, options, env:
                           self.renderToken(tokens, idx, options, env) + "</bdi>")
    return md


def block_html(text: str, wording: Wording, figures) -> Markup:
    """A chunk of narrative (its placeholders already checked) as HTML blocks."""
    return Markup(parser(wording, figures).render(text))


def inline_html(text: str, wording: Wording, figures) -> Markup:
    """One line of narrative, such as its headline, as inline HTML."""
    return Markup(parser(wording, figures).renderInline(text))
