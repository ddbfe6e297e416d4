from __future__ import annotations

from pathlib import Path

import pytest

from wordaudit.api import audit_paths, build_auditor
from wordaudit.config import Config, find_config, load_config
from wordaudit.errors import ConfigError
from wordaudit.model import Severity


def test_found_by_walking_up_and_read(tmp_path: Path) -> None:
    (tmp_path / "wordaudit.toml").write_text(
        'select = ["back-office", "back-line"]\nignore = ["back-line"]\nfail-on = "info"\n'
        '[severity]\nback-office = "error"\n',
        encoding="utf-8",
    )
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    path = find_config(nested)
    assert path == tmp_path / "wordaudit.toml"
    config = load_config(path)
    assert config.select == ("back-office", "back-line")
    assert config.fail_on == "info"
    assert config.severity == {"back-office": Severity.ERROR}
    auditor = build_auditor(config)
    assert [(r.id, r.severity) for r in auditor.rules] == [("back-office", Severity.ERROR)]


def test_pyproject_tool_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname="x"\n[tool.wordaudit]\nexclude = ["drafts/"]\n')
    config = load_config(find_config(tmp_path))
    assert config.exclude == ("drafts/",)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('selcet = ["x"]\n', "wordaudit.toml:1: 'selcet': unknown key"),
        ('\nfail-on = "sometimes"\n', "wordaudit.toml:2: 'fail-on': must be one of error, warning, info, never"),
        ("allow = 3\n", "wordaudit.toml:1: 'allow': must be a list of strings"),
        ('[severity]\nback-office = "loud"\n', "wordaudit.toml:2: 'back-office': severity must be"),
        ("select = [\n", "invalid TOML"),
        ("timeout = 0\n", "wordaudit.toml:1: 'timeout': must be a positive number of seconds"),
        ("memory-limit-mb = -5\n", "wordaudit.toml:1: 'memory-limit-mb': must be a whole number of megabytes, 64 or"),
        ("memory-limit-mb = 512.5\n", "'memory-limit-mb': must be a whole number of megabytes"),
        ('[formats]\nmdx = "html"\n', "wordaudit.toml:2: 'mdx': format must be one of markdown, text, docx, pdf"),
        ('[formats]\n"a/b" = "text"\n', "wordaudit.toml:2: 'a/b': must be a file suffix such as mdx or .rst"),
        ('formats = "markdown"\n', "wordaudit.toml:1: 'formats': must be a table of suffix = format"),
        ('[per-file-ignores]\n"docs/" = []\n', "wordaudit.toml:2: 'docs/': needs a pattern and at least one rule"),
        ('[per-file-ignores]\n"docs/" = 3\n', "wordaudit.toml:2: 'docs/': must be a list of strings"),
    ],
)
def test_bad_config_names_file_line_and_key(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "wordaudit.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=None) as caught:
        load_config(tmp_path / "wordaudit.toml")
    assert message in str(caught.value)


def test_formats_map_suffixes_with_or_without_their_dot(tmp_path: Path) -> None:
    (tmp_path / "wordaudit.toml").write_text('[formats]\nmdx = "markdown"\n".RST" = "text"\n', encoding="utf-8")
    assert load_config(tmp_path / "wordaudit.toml").formats == {".mdx": "markdown", ".rst": "text"}


def test_unknown_rule_in_per_file_ignores_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="per-file-ignores: unknown rule 'back-ofice'"):
        build_auditor(Config(per_file_ignores={"docs/": ("back-ofice",)}))


def test_unknown_rule_in_select_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown rule 'back-ofice'"):
        build_auditor(Config(select=("back-ofice",)))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('select = ["back-office", "no-such-rule"]\n', "wordaudit.toml:1: select: unknown rule 'no-such-rule'"),
        (
            'fail-on = "info"\n[severity]\nbackoffice = "info"\n',
            "wordaudit.toml:3: severity: unknown rule 'backoffice'",
        ),
        (
            '[per-file-ignores]\n"a.md" = ["bakc-office"]\n',
            "wordaudit.toml:2: per-file-ignores: unknown rule 'bakc-office'",
        ),
    ],
)
def test_an_unknown_rule_in_the_file_is_placed_in_it(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "wordaudit.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        build_auditor(load_config(tmp_path / "wordaudit.toml"))
    assert str(caught.value).startswith(f"{tmp_path / message}")


def test_allow_list_lets_a_vendor_name_through(tmp_path: Path) -> None:
    doc = tmp_path / "vendors.md"
    doc.write_text("We use BackOffice Pro for payroll. The back office uses it daily.\n", encoding="utf-8")
    plain = audit_paths([doc])
    allowed = audit_paths([doc], Config(allow=("BackOffice Pro",)))
    assert [f.match for f in plain.findings] == ["BackOffice", "back office"]
    assert [f.match for f in allowed.findings] == ["back office"]


def test_extra_rule_pack_from_config(tmp_path: Path) -> None:
    (tmp_path / "house.yml").write_text(
        "- id: ivory-tower\n  severity: info\n  message: '\"{match}\" is distant.'\n  why: Be near.\n"
        "  phrases: [ivory tower]\n  suggestions: [head office]\n",
        encoding="utf-8",
    )
    (tmp_path / "wordaudit.toml").write_text('rules = ["house.yml"]\n', encoding="utf-8")
    doc = tmp_path / "d.md"
    doc.write_text("The Ivory-Tower team.\n", encoding="utf-8")
    result = audit_paths([doc], load_config(tmp_path / "wordaudit.toml"))
    assert [(f.rule, f.suggestions) for f in result.findings] == [("ivory-tower", ("Head Office",))]
    assert result.rulesets == ("back-office", "house")
