"""Markdown: what is prose, and where each character came from."""

from __future__ import annotations

from wordaudit.extract import ExtractOptions
from wordaudit.extract.markdown import CODE_PLACEHOLDER, extract_text
from wordaudit.model import Block

SOURCE = """---
title: Back Office Administrator
tags:
  - back office
owner: "Back Office"
---

# Back Office *team*

Our **back**-office team & friends,
  see [the back office](https://backoffice.example.com) and `back office` code.

- list back office item
  > quoted back office

| Duty | Back office |
| ---- | ----------- |
| one  | back office |

![back office alt](/img/backoffice.png)

<!-- back office in a comment -->
<div class="back-office">back office in html
<code>back office in html code</code> <b>bold</b> tail</div>

<details><summary>Back office summary</summary>
<pre>back office preformatted</pre><img src="x.png" alt="back office in html alt" width=9>
</details>

```
back office in a fence
```
"""


def _blocks(text: str = SOURCE) -> list[Block]:
    return list(extract_text(text, ExtractOptions()))


def _where(block: Block, needle: str) -> tuple[int, int]:
    position = block.position(block.text.index(needle))
    return position.line, position.column


def test_prose_blocks_and_kinds() -> None:
    texts = [(b.kind, b.text) for b in _blocks()]
    assert texts == [
        ("front-matter", "Back Office Administrator"),
        ("front-matter", "back office"),
        ("front-matter", "Back Office"),
        ("heading", "Back Office team"),
        (
            "paragraph",
            "Our back-office team & friends,\nsee the back office and " + CODE_PLACEHOLDER + " code.",
        ),
        ("list-item", "list back office item"),
        ("list-item", "quoted back office"),
        ("cell", "Duty"),
        ("cell", "Back office"),
        ("cell", "one"),
        ("cell", "back office"),
        ("paragraph", "back office alt"),
        ("paragraph", "back office in html\n"),
        ("paragraph", " bold tail"),
        ("paragraph", "Back office summary"),
        ("paragraph", "back office in html alt"),
    ]


def _assert_each_character_maps_back(block: Block, source: str) -> None:
    lines = source.split("\n")
    for index, char in enumerate(block.text):
        if char in ("\n", CODE_PLACEHOLDER):
            continue
        position = block.position(index)
        assert lines[position.line - 1][position.column - 1] == char, (block.text, index, position)


def test_every_piece_maps_back_to_its_line_and_column() -> None:
    # The only rewrite markdown does to prose characters here is the entity-free '&'.
    for block in _blocks():
        _assert_each_character_maps_back(block, SOURCE)


def test_positions_of_split_runs_links_and_cells() -> None:
    blocks = {b.text: b for b in _blocks()}
    paragraph = next(b for t, b in blocks.items() if t.startswith("Our"))
    assert _where(paragraph, "back-office") == (10, 7)
    assert _where(paragraph, "office team") == (10, 14)
    assert _where(paragraph, "the back office") == (11, 8)
    front_matter = [b for b in _blocks() if b.kind == "front-matter"]
    assert _where(front_matter[1], "back office") == (4, 5)
    assert _where(front_matter[2], "Back") == (5, 9)


def test_table_cells_map_to_their_own_column() -> None:
    cells = [b for b in _blocks() if b.kind == "cell"]
    header, value = cells[1], cells[3]
    assert _where(header, "Back office") == (16, 10)
    assert _where(value, "back office") == (18, 10)


def test_crlf_free_text_without_front_matter_keeps_line_numbers() -> None:
    [block] = _blocks("\n\n\nSome back office text.\n")
    assert _where(block, "back office") == (4, 6)


def test_directives_travel_as_blocks() -> None:
    text = "<!-- wordaudit-disable back-office -->\nback office\n<!-- wordaudit-enable -->\n"
    kinds = [(b.kind, b.text, b.position(0).line) for b in _blocks(text)]
    assert kinds[0] == ("directive", "wordaudit-disable back-office", 1)
    assert ("directive", "wordaudit-enable", 3) in kinds


def test_context_shows_inline_code_as_written() -> None:
    from wordaudit.api import audit_text

    long_code = "x" * 60
    text = f"Intro\n\nRun `make all` and ``a `b` c``, then ask the back office for `{long_code}`.\n"
    (finding,) = audit_text(text, format="markdown")
    assert finding.context == (f"Run `make all` and ``a `b` c``, then ask the back office for `{'x' * 37}…`.")
    assert "\ufffc" not in finding.context


TITLES = """- See [the team](https://x.example "Our back office
  team") now, ![chart](c.png 'Back-office "chart"') and [paren](https://z.example (back office staff)).
- An [escaped](https://e.example "the \\"back office\\" team") link, and [a reference][r], [again][r].

  [r]: https://r.example
    "Back office roles"

A [back](https://b.example "office hours") link, and [no title](https://n.example).
"""


def test_link_and_image_titles_are_prose_of_their_own() -> None:
    # A browser shows a title when the pointer rests on the link or image. A
    # reference's title is read once, where it is defined, in line order.
    blocks = [(b.kind, b.text) for b in _blocks(TITLES)]
    assert blocks == [
        ("list-item", "See the team now, chart and paren."),
        ("title", "Our back office\nteam"),
        ("title", 'Back-office "chart"'),
        ("title", "back office staff"),
        ("list-item", "An escaped link, and a reference, again."),
        ("title", 'the "back office" team'),
        ("title", "Back office roles"),
        ("paragraph", "A back link, and no title."),
        ("title", "office hours"),
    ]


def test_titles_map_back_to_their_characters_past_escapes_and_line_breaks() -> None:
    titles = [b for b in _blocks(TITLES) if b.kind == "title"]
    for block in titles:
        _assert_each_character_maps_back(block, TITLES)
    assert _where(titles[0], "team") == (2, 3)
    assert _where(titles[3], 'office" team') == (3, 46)
    assert _where(titles[4], "Back") == (6, 6)


def test_findings_in_titles_and_none_across_text_and_title() -> None:
    from wordaudit.api import audit_text

    found = [(f.line, f.column, f.match) for f in audit_text(TITLES, format="markdown")]
    assert found == [
        (1, 41, "back office"),
        (2, 31, "Back-office"),
        (2, 84, "back office"),
        (3, 41, "back office"),
        (6, 6, "Back office"),
    ]


HTML_ATTRIBUTES = """Our <img src="a.png" alt="back office chart"> here, and <abbr title="back office">BO</abbr> staff
read on: our back <span title="a tip">office</span> team.

<div title="the back office team">Our <b title="x &amp; y">crew</b></div>
<p data-title="back office" class="back office">Nothing here.</p>
"""


def test_alt_text_and_titles_of_html_tags_are_read_as_their_own_blocks() -> None:
    blocks = [(b.kind, b.text) for b in _blocks(HTML_ATTRIBUTES)]
    assert blocks == [
        ("paragraph", "Our  here, and BO staff\nread on: our back office team."),
        ("alt-text", "back office chart"),
        ("title", "back office"),
        ("title", "a tip"),
        ("paragraph", "Our crew"),
        ("title", "the back office team"),
        ("title", "x & y"),
        ("paragraph", "Nothing here."),
    ]
    for block in _blocks(HTML_ATTRIBUTES):
        if block.kind in ("alt-text", "title") and "&" not in block.text:
            _assert_each_character_maps_back(block, HTML_ATTRIBUTES)


ATTRIBUTE_LISTS = """# Back Office {#operations}

## Our team {#back-office .wide}

Payments run daily.
{: #back-office-payments}

Our {back office} crew, and a set {#back office}
"""


def test_attribute_lists_at_a_line_end_are_not_prose() -> None:
    # kramdown, pandoc and MkDocs' attr_list read them; the page shows none of them.
    from wordaudit.api import audit_text

    found = [(f.line, f.column, f.match) for f in audit_text(ATTRIBUTE_LISTS, format="markdown")]
    assert found == [(1, 3, "Back Office"), (8, 6, "back office")]
    heading = next(b for b in _blocks(ATTRIBUTE_LISTS) if b.text.startswith("Our team"))
    # Blanked, not cut: the text keeps its length, and its words their places.
    assert heading.text == "Our team" + " " * len(" {#back-office .wide}")
    position = heading.position(heading.text.index("team"))
    assert (position.line, position.column) == (3, 8)


# ---------------------------------------------------------------- the text screen

SCREENED = """\
# Team pages

Nothing to see in this paragraph, nor in the next.

A *second* paragraph, with [a link](https://example.com "a title") and `code`.

Our back office team.

Also ba**ck** office.

And b&#97;ck office, b&#x61;ck office.

And back&shy;office.

| Duty | Who |
| ---- | --- |
| filing | the back office |

[Staff][ref] and the [recruiters](https://example.com "staff recruiter").

Words <!-- wordaudit-disable-next-line back-line --> here.
The back line staff.

[ref]: https://example.com "back office"
"""


def _prose(options: ExtractOptions) -> list[tuple[str, str, list[tuple[int, int]]]]:
    return [
        (b.kind, b.text, [(s.line, s.column) for s in b.segments])
        for b in extract_text(SCREENED, options)
        if b.kind == "directive" or "back" in b.text.lower() or "staff" in b.text.lower()
    ]


def test_the_text_screen_parses_the_inline_markup_that_may_hold_a_finding_only() -> None:
    from wordaudit.api import build_auditor

    screened = build_auditor().options
    everything = list(extract_text(SCREENED, ExtractOptions()))
    read = list(extract_text(SCREENED, screened))
    # The blocks that may hold a finding or a directive are read as without the screen...
    assert _prose(screened) == _prose(ExtractOptions())
    # ... markup inside a word and entities too ("ba**ck**", "b&#97;ck"), a
    # link's title, a reference's title, an HTML comment's directive ...
    texts = [b.text for b in read]
    assert "Also back office." in texts
    assert "And back office, back office." in texts
    assert "And back\u00adoffice." in texts
    assert "staff recruiter" in texts
    assert "back office" in texts  # the reference's title
    assert any(b.kind == "directive" for b in read)
    # ... and the others are not read at all.
    assert "Nothing to see in this paragraph, nor in the next." in [b.text for b in everything]
    assert not any("Nothing to see" in b.text or "second" in b.text for b in read)


def test_a_br_tag_is_a_line_break_inside_the_phrase() -> None:
    from wordaudit.api import audit_text

    text = "The back<br>office team. Then back<BR/>\noffice, and <b>back</b> office.\n"
    found = [(f.match, f.line, f.column, f.end_line, f.end_column) for f in audit_text(text, format="markdown")]
    assert found == [
        ("back office", 1, 5, 1, 19),
        ("back office", 1, 31, 2, 7),
        ("back office", 2, 16, 2, 31),
    ]


# ---------------------------------------------------------------- front matter

TOML_FRONT_MATTER = '''+++
title = "Back Office Lead"  # our back office comment
# back office comment
[extra."back office"]
back-office = "value"
'back office' = 'literal back office'
tags = ["back office", 3, { name = "our back office", "back office" = true }]
escaped = "a \\u0062ack office, our \\"back office\\""
about = """
Our back
office team."""
+++

Body back office.
'''


def test_toml_front_matter_values_are_prose_and_keys_and_comments_are_not() -> None:
    # Hugo writes TOML front matter between "+++" lines.
    from wordaudit.api import audit_text

    found = [(f.line, f.column, f.end_line, f.end_column) for f in audit_text(TOML_FRONT_MATTER, format="markdown")]
    assert found == [
        (2, 10, 2, 21),
        (6, 26, 6, 37),
        (7, 10, 7, 21),
        (7, 41, 7, 52),
        (8, 14, 8, 30),  # from the escape's backslash to the end of "office"
        (8, 38, 8, 49),
        (10, 5, 11, 7),
        (14, 6, 14, 17),
    ]
    blocks = [(b.kind, b.text) for b in _blocks(TOML_FRONT_MATTER) if b.kind == "front-matter"]
    assert blocks == [
        ("front-matter", "Back Office Lead"),
        ("front-matter", "value"),
        ("front-matter", "literal back office"),
        ("front-matter", "back office"),
        ("front-matter", "our back office"),
        ("front-matter", 'a back office, our "back office"'),
        ("front-matter", "Our back\noffice team."),
    ]
    for block in _blocks(TOML_FRONT_MATTER):
        if not block.text.startswith("a "):  # the one with escapes, whose characters are not written as they read
            _assert_each_character_maps_back(block, TOML_FRONT_MATTER)


def test_plus_signs_that_never_close_are_markdown() -> None:
    [block] = _blocks("+++\ntitle = back office\n")
    assert (block.kind, block.text) == ("paragraph", "+++\ntitle = back office")


def test_plus_signs_around_what_is_no_toml_are_markdown() -> None:
    # A writer's own separator: Hugo would refuse this as front matter.
    text = "+++\n\nOur back office team is great.\n\n+++\n"
    assert [(b.kind, b.text) for b in _blocks(text)] == [
        ("paragraph", "+++"),
        ("paragraph", "Our back office team is great."),
        ("paragraph", "+++"),
    ]


# ---------------------------------------------------------------- tables

ESCAPED_PIPES = """| h | i |
|---|---|
| back office \\| more | z |
| x \\| y back office | z |
| our back office \\| | z |
| `a \\| b` back office \\| \\*n\\* back office | z |
"""


def test_an_escaped_pipe_in_a_cell_keeps_the_columns_after_it() -> None:
    # markdown-it takes the backslash of "\\|" out of a cell's inline source.
    from wordaudit.api import audit_text

    found = [(f.line, f.column, f.end_column) for f in audit_text(ESCAPED_PIPES, format="markdown")]
    assert found == [(3, 3, 14), (4, 10, 21), (5, 7, 18), (6, 12, 23), (6, 33, 44)]
    for block in _blocks(ESCAPED_PIPES):
        if "*" not in block.text:  # "\\*" reads "*": its backslash is not in the text
            _assert_each_character_maps_back(block, ESCAPED_PIPES)


YAML_WRAPPED = """---
# back office comment
description: >
  Folded text about our back
  office team.
plain: Plain multi line back
  office team. # back office comment
'quoted key': "Quoted about our back
  office team"
? back office complex key
: v
people:
  - name: Back office lead
    role: not wrapped back
  - office
---
"""


def test_a_yaml_value_over_several_lines_is_one_block() -> None:
    # A phrase broken over two lines of a wrapped value is one finding.
    from wordaudit.api import audit_text

    found = [(f.line, f.column, f.end_line, f.end_column) for f in audit_text(YAML_WRAPPED, format="markdown")]
    assert found == [(4, 25, 5, 9), (6, 25, 7, 9), (8, 33, 9, 9), (13, 11, 13, 22)]
    blocks = [b.text for b in _blocks(YAML_WRAPPED)]
    assert blocks == [
        "Folded text about our back\noffice team.",
        "Plain multi line back\noffice team.",
        "Quoted about our back\noffice team",
        ": v",
        "Back office lead",
        "not wrapped back",
        "office",
    ]
    for block in _blocks(YAML_WRAPPED):
        _assert_each_character_maps_back(block, YAML_WRAPPED)
