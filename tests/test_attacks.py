"""Hostile input, as an attacker would send it: every case ends in a file:line diagnostic
or one clean line, never a traceback, a crash, a leak or a hang. Real files, real
processes (`roadmap` run as a command, `git` in a scratch repository, `serve` on
127.0.0.1)."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import FIXED_EPOCH, ITEM, REPO, REQUEST, roadmap, write_tree
from serving import Server

from generator.serve.server import _Server, host_allowed

#: A request that is valid once `{extra}` lines are added to its frontmatter.
BASE = "---\ntitle: A request\nsubmitted: 2026-01-05\nrequester: Ann\n{extra}---\nBody.\n"


def project(tmp_path: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """A small valid project (one item, one request) plus `files`."""
    root = write_tree(
        tmp_path / "project",
        {"content/roadmap/item.md": ITEM, "content/requests/ok.md": REQUEST, **(files or {})},
    )
    return root


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`roadmap ARGS --root ROOT`, which must never end in a traceback."""
    result = roadmap(*args, "--root", str(root), env=env)
    assert "Traceback" not in result.stdout + result.stderr + result.stdout, result.stderr
    return result


def refused(tmp_path: Path, text: str, code: str, line: int) -> str:
    """Check and build a project holding `text` as a request: both exit 1 with `code` at
    `line` of that file, and no site is written. Returns the diagnostic line."""
    root = project(tmp_path, {"content/requests/bad.md": text})
    where = f"content/requests/bad.md:{line}:"
    for args in (("check",), ("build", "--out", str(tmp_path / "site"))):
        result = run(root, *args)
        assert result.returncode == 1, result.stderr
        output = result.stdout + result.stderr  # check reports on stdout, build on stderr
        found = [x for x in output.splitlines() if x.startswith(where) and code in x]
        assert found, result.stderr
    assert not (tmp_path / "site").exists()
    return found[0]


# --- YAML ------------------------------------------------------------------------


def test_block_nesting_fifty_thousand_deep_is_refused_not_a_crash(tmp_path):
    """`- - - …` nests without brackets; the tree builder recursed once per level and
    check, build and serve died of SIGSEGV (exit 139) with no output."""
    deep = BASE.format(extra="tags:\n" + "- " * 50_000 + "x\n")
    assert "nested deeper than 64 levels" in refused(tmp_path, deep, "E104", 6)


def test_nesting_by_indentation_is_refused(tmp_path):
    lines = "".join(" " * (2 * level) + "- \n" for level in range(200))
    # the 65th level opens on the 64th line of the list
    refused(tmp_path, BASE.format(extra="tags:\n" + lines), "E104", 69)


def test_flow_nesting_is_refused(tmp_path):
    refused(tmp_path, BASE.format(extra="tags: " + "[" * 70_000 + "]" * 70_000 + "\n"), "E104", 5)


@pytest.mark.parametrize(
    ("extra", "line", "says"),
    [
        ("area: !!str Billing\n", 5, "tags (`tag:yaml.org,2002:str`)"),
        ("area: !custom Billing\n", 5, "tags (`!custom`)"),
        ("area: &name Billing\n", 5, "anchors (`&name`)"),
        ("rice: &r {reach: 1, impact: 1, confidence: 1, effort: 1}\n", 5, "anchors"),
        ("x: &v public\nvisibility: *v\n", 6, "aliases"),
    ],
)
def test_tags_anchors_and_aliases_are_refused(tmp_path, extra, line, says):
    assert says in refused(tmp_path, BASE.format(extra=extra), "E107", line)


def test_a_merge_key_cannot_make_a_file_public(tmp_path):
    """`<<` merges a mapping into its parent: once a way to slip `visibility: public`
    past a reviewer reading the file's own keys."""
    text = "---\n<<: {visibility: public}\ntitle: A request\nsubmitted: 2026-01-05\n" \
        "requester: Ann\n---\nBody.\n"  # fmt: skip
    assert "merge keys" in refused(tmp_path, text, "E107", 2)


def test_a_five_thousand_digit_integer_is_a_diagnostic(tmp_path):
    """Python refuses to convert more than 4,300 digits: it was a ValueError traceback."""
    text = BASE.format(extra="rice: {reach: " + "9" * 5000 + ", impact: 1, confidence: 1, "
                       "effort: 1}\n")  # fmt: skip
    assert "more than 100 digits" in refused(tmp_path, text, "E104", 5)


@pytest.mark.parametrize(
    ("escape", "shown"),
    [("\\e", "U+001B"), ("\\x00", "U+0000"), ("\\x1e", "U+001E"), ("\\x9b", "U+009B")],
)
def test_control_characters_in_text_are_refused(tmp_path, escape, shown):
    """They make feed.xml ill-formed, or hide text from readers (libyaml itself refuses
    a lone surrogate, `"\\ud800"`, as E104)."""
    text = BASE.format(extra="").replace("title: A request", f'title: "A {escape} request"')
    assert shown in refused(tmp_path, text, "E111", 2)


# --- numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rice", "says"),
    [
        (
            "{reach: 1.0e+300, impact: 1, confidence: 1, effort: 1}",
            "less than or equal to 1000000000000",
        ),
        ("{reach: 1, impact: 1, confidence: 1, effort: 1.0e-10}", "greater than or equal to 0.01"),
        ("{reach: 1, impact: 1, confidence: 1, effort: .inf}", "finite number"),
        ("{reach: .nan, impact: 1, confidence: 1, effort: 1}", "finite number"),
    ],
)
def test_numbers_out_of_any_real_range_are_refused(tmp_path, rice, says):
    assert says in refused(tmp_path, BASE.format(extra=f"rice: {rice}\n"), "E204", 5)


def test_two_huge_arrs_no_longer_pass_check_and_crash_the_build(tmp_path):
    """Two ARRs of 1.7e308 summed to infinity in the build, after check had passed."""
    accounts = "accounts:\n  - {name: A, arr: 1.7e+308}\n  - {name: B, arr: 1.7e+308}\n"
    refused(tmp_path, BASE.format(extra=accounts), "E204", 6)


def test_the_largest_allowed_values_build(tmp_path):
    """At the bounds, every sum and score stays finite and prints as a number."""
    big = "rice: {reach: 1000000000000, impact: 3, confidence: 1, effort: 0.01}\n" \
        "roadmap: item\naccounts:\n" + "".join(
            f"  - {{name: Account {n}, arr: 1000000000000000}}\n" for n in range(50)
        )  # fmt: skip
    root = project(tmp_path, {"content/requests/big.md": BASE.format(extra=big)})
    result = run(root, "build", "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site/requests/big.html").read_text()
    assert "1,000,000,000,000,000 USD" in page and ">n/a<" not in page


def test_a_formula_of_330_nested_unary_operators_is_one_error(tmp_path):
    formula = "-" * 330 + "reach"
    root = project(
        tmp_path, {"roadmap.toml": f'[scoring]\nmodel = "custom"\nformula = "{formula}"\n'}
    )
    for args in (("check",), ("build", "--out", str(tmp_path / "site")), ("score",)):
        result = run(root, *args)
        assert result.returncode == 1
        assert "roadmap.toml:3:1: error[E504]" in result.stdout + result.stderr
        assert "nested deeper than 50 levels" in result.stdout + result.stderr


def test_a_javascript_base_url_is_refused(tmp_path):
    root = project(tmp_path, {"roadmap.toml": '[site]\nbase_url = "javascript:alert(1)"\n'})
    result = run(root, "check")
    assert result.returncode == 1
    assert (
        "roadmap.toml:2:1: error" in result.stdout + result.stderr
        and "base_url" in result.stdout + result.stderr
    )


def test_a_site_title_with_a_control_character_is_refused(tmp_path):
    root = project(tmp_path, {"roadmap.toml": '[site]\ntitle = "Road\\u001bmap"\n'})
    result = run(root, "check")
    assert result.returncode == 1 and "roadmap.toml:2:1: error" in result.stdout + result.stderr


# --- files ------------------------------------------------------------------------


def _without_read_bypass() -> list[str]:
    """A prefix that runs a command without root's power to read any file."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: an unreadable file cannot be made")
    drop = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}"]


def test_an_unreadable_file_is_e110_not_a_traceback(tmp_path):
    root = project(tmp_path, {"content/requests/secret.md": REQUEST})
    (root / "content/requests/secret.md").chmod(0)
    command = [*_without_read_bypass(), sys.executable, "-m", "generator"]
    for args in (["check"], ["build", "--out", str(tmp_path / "site")]):
        result = subprocess.run(
            [*command, *args, "--root", str(root)], capture_output=True, text=True,
            cwd=REPO, env={**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}, timeout=60,
        )  # fmt: skip
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
        assert "content/requests/secret.md:1:1: error[E110]: cannot read the file: " \
            "Permission denied" in result.stdout + result.stderr  # fmt: skip


def test_a_link_loop_is_e110(tmp_path):
    root = project(tmp_path)
    (root / "content/requests/a.md").symlink_to("b.md")
    (root / "content/requests/b.md").symlink_to("a.md")
    result = run(root, "check")
    assert result.returncode == 1
    assert "content/requests/a.md:1:1: error[E110]" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "link", ["templates/assets/passwd.txt", "templates/base.html", "templates/assets"]
)
def test_links_in_templates_leading_out_are_never_followed(tmp_path, link):
    """`templates/assets/x -> /proc/self/environ` once put CI's secrets in the public site."""
    root = project(tmp_path)
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("CANARY-SECRET-7f3a\n")
    leads_to = secret if link.endswith((".txt", ".html")) else secret.parent
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(leads_to)
    for args in (("check",), ("build", "--out", str(tmp_path / "site"), "--audience", "public")):
        result = run(root, *args)
        assert result.returncode == 1
        assert (
            f"{link}:1:1: error[E109]: symbolic link to {leads_to},"
            in result.stdout + result.stderr
        )
    assert not (tmp_path / "site").exists()


def test_the_template_loader_refuses_links_even_when_check_is_skipped(tmp_path):
    from generator.site import rendering, theme

    root = project(tmp_path)
    secret = tmp_path / "secret.html"
    secret.write_text("CANARY-SECRET-7f3a")
    (root / "templates/assets").mkdir(parents=True)
    (root / "templates/base.html").symlink_to(secret)
    (root / "templates/assets/leak.txt").symlink_to(secret)
    (root / "templates/assets/fine.txt").write_text("mine")
    env = rendering.environment(root)
    assert "CANARY" not in env.loader.get_source(env, "base.html")[0]  # the theme's instead
    shipped = dict(theme.assets(root))
    assert "assets/fine.txt" in shipped and "assets/leak.txt" not in shipped
    assert all(b"CANARY" not in path.read_bytes() for path in theme.template_files(root))


# --- git, cache, environment ------------------------------------------------------------


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_commit_subjects_with_separators_and_control_bytes_build(tmp_path):
    """A subject holding 0x1E (the old field separator) crashed every build."""
    root = project(tmp_path)
    _git(root, "init", "-q")
    _git(root, "config", "user.email", "a@b.c")
    _git(root, "config", "user.name", "Ann\x1fThe\x1eTester")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "first \x1e\x1f\x1b[31m red \x07 bell")
    (root / "content/roadmap/item.md").write_text(ITEM.replace("later", "next"))
    _git(root, "commit", "-q", "-am", "second \x1e")
    result = run(root, "build", "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site/items/item.html").read_text()
    assert "second" in page
    ET.parse(tmp_path / "site/feed.xml")  # well-formed


def test_feed_strips_what_xml_cannot_hold(tmp_path):
    from generator.content.safe_yaml import CONTROL
    from generator.site.follow import xml_bytes

    assert CONTROL.sub("", "a\x1bb\x00c\td\ne\ufffe") == "abc\td\ne"
    assert xml_bytes("a\x1bb\x00c\td\ne\r\x7f") == b"abc\td\ne"  # ASCII: bytes.translate
    # every character, in ASCII text and in other text: as the expression would strip it
    for code in [*range(0x10000), 0x1F600, 0x10FFFF]:
        for text in (f"a{chr(code)}b", f"\u00e9{chr(code)}\n"):
            assert xml_bytes(text) == CONTROL.sub("", text).encode(), hex(code)


@pytest.mark.parametrize(
    "damage",
    ["random bytes", "a foreign database", "a database damaged inside", "a truncated database"],
)
def test_a_broken_cache_is_set_aside_and_rebuilt(tmp_path, damage):
    root = project(tmp_path)
    site = tmp_path / "site"
    cache = root / ".cache/markdown.sqlite3"
    assert run(root, "build", "--out", str(site)).returncode == 0
    good = {p.name: p.read_bytes() for p in site.rglob("*.html")}
    if damage == "random bytes":
        cache.write_bytes(os.urandom(5000))
    elif damage == "a foreign database":
        cache.unlink()
        import sqlite3

        with sqlite3.connect(cache) as db:
            db.execute("CREATE TABLE html (a, b, c)")
            db.execute("CREATE TABLE meta (x)")
    elif damage == "a database damaged inside":
        data = bytearray(cache.read_bytes())
        data[4096::7] = b"Z" * len(data[4096::7])
        cache.write_bytes(bytes(data))
    else:
        cache.write_bytes(cache.read_bytes()[:6000])
    notes = []
    for n in range(3):
        # an edit (a new modification time), or the build would find the site up to date
        os.utime(next(root.glob("content/requests/*.md")), ns=(n, n))
        result = run(root, "build", "--out", str(site))
        assert result.returncode == 0, result.stderr
        assert {p.name: p.read_bytes() for p in site.rglob("*.html")} == good
        notes.append([line for line in result.stderr.splitlines() if line.startswith("note:")])
    assert (len(notes[0]) == 1 and "set aside" in notes[0][0]) or "failed" in notes[0][0]
    assert notes[1:] == [[], []]  # the next builds use the new cache, quietly
    assert (root / ".cache/markdown.sqlite3.unusable").exists()


def test_a_cache_that_is_a_link_is_not_written_through(tmp_path):
    root = project(tmp_path)
    elsewhere = tmp_path / "elsewhere.sqlite3"
    elsewhere.write_bytes(b"")
    (root / ".cache").mkdir()
    (root / ".cache/markdown.sqlite3").symlink_to(elsewhere)
    result = run(root, "build", "--out", str(tmp_path / "site"))
    assert result.returncode == 0 and "symbolic link" in result.stdout + result.stderr
    assert elsewhere.read_bytes() == b""


@pytest.mark.parametrize(
    "value", ["abc", "-1", "1e9", "99999999999999999999", "1.5", "253402300800"]
)
def test_a_bad_source_date_epoch_is_one_usage_line(tmp_path, value):
    root = project(tmp_path)
    for args in (("check",), ("build", "--out", str(tmp_path / "site"))):
        result = run(root, *args, env={"SOURCE_DATE_EPOCH": value})
        assert result.returncode == 2
        assert (
            "SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC"
            in result.stdout + result.stderr
        )
    assert run(root, "check", env={"SOURCE_DATE_EPOCH": "253402300799"}).returncode == 0


# --- scale -------------------------------------------------------------------------


def test_tens_of_thousands_of_accounts_on_one_request_check_in_linear_time(tmp_path):
    """10,000 accounts on one request took 24 s (each account walked every entry);
    37,755 short entries, over two minutes. A timeout, not a benchmark: linear work
    takes a few seconds, quadratic would take minutes."""
    many = "accounts:\n" + "".join(f"- {{name: C{n}, arr: {n}}}\n" for n in range(10_000))
    short = "accounts:\n" + "".join(f"- name: a{n:x}\n" for n in range(37_755))
    root = project(tmp_path, {
        "content/requests/many.md": BASE.format(extra=many),
        "content/requests/short.md": BASE.format(extra=short),
    })  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--root", str(root)],
        capture_output=True, text=True, cwd=REPO, timeout=60,
        env={**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]


# --- roadmap new ---------------------------------------------------------------------


def _new(root: Path, *args: str) -> subprocess.CompletedProcess:
    result = roadmap("new", "request", *args, "--requester", "Ann", cwd=root)
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.mark.parametrize(
    ("given", "written"),
    [("1234567", "1234567"), ("10000000", "10000000"), ("1234.5", "1234.5"),
     ("1e15", "1000000000000000"), ("0", "0")],
)  # fmt: skip
def test_new_writes_the_arr_exactly(tmp_path, given, written):
    root = project(tmp_path)
    result = _new(root, f"Ask {given}", "--account", "Acme", "--arr", given)
    assert result.returncode == 0, result.stderr
    text = (root / result.stdout.strip()).read_text()
    assert f"    arr: {written}\n" in text
    assert run(root, "check").returncode == 0


@pytest.mark.parametrize("given", ["2e15", "inf", "nan", "-1"])
def test_new_refuses_an_arr_no_file_could_hold(tmp_path, given):
    root = project(tmp_path)
    result = _new(root, "Ask", "--account", "Acme", "--arr", given)
    assert result.returncode == 2 and "--arr" in result.stdout + result.stderr
    assert sorted(p.name for p in (root / "content/requests").iterdir()) == ["ok.md"]


def test_new_steps_over_a_dangling_link_with_the_same_name(tmp_path):
    """The exclusive create failed on the link forever: an endless loop."""
    root = project(tmp_path)
    (root / "content/requests/ask.md").symlink_to("nowhere")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "new", "request", "Ask", "--requester", "Ann"],
        cwd=root, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 0 and result.stdout.strip() == "content/requests/ask-2.md"
    assert os.readlink(root / "content/requests/ask.md") == "nowhere"


# --- serve -------------------------------------------------------------------------


def _get(port: int, host: str | None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/", headers={"Host": host} if host else {})
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.fixture
def served(tmp_path):
    root = project(tmp_path)
    running = Server(root)
    yield running
    running.stop()


def test_serve_answers_only_loopback_host_names(served):
    """DNS rebinding: a page on evil.example points its name at 127.0.0.1 and reads the
    internal roadmap through the reader's browser, unless the Host header is checked."""
    port = served.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}",
                 f"app.localhost:{port}", f"LOCALHOST:{port}", None):  # fmt: skip
        assert _get(port, host) == 200, host
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example",
                 f"localhost.evil.example:{port}", "10.0.0.1"):  # fmt: skip
        assert _get(port, host) == 403, host


def test_host_rule():
    assert host_allowed("anything.example", "0.0.0.0")  # shared on purpose: any name
    assert host_allowed("roadmap.lan:8000", "192.168.1.5")
    assert not host_allowed("evil.example", "127.0.0.1")
    assert host_allowed("myhost:8000", "myhost")  # bound to a name the user gave
    assert host_allowed("[::1]:8000", "::1") and not host_allowed("[fe80::1]", "::1")


def test_serve_keeps_a_real_backlog():
    assert _Server.request_queue_size >= 128


def test_serve_survives_a_file_that_crashed_the_parser(served):
    mark = served.edit(
        "content/requests/deep.md", BASE.format(extra="tags: " + "- " * 50_000 + "x\n")
    )
    served.wait_for(r"content/requests/deep\.md:5:\d+: error\[E104\]", after=mark)
    assert served.process.poll() is None
    assert _get(served.port, None) == 200


def test_serve_watches_content_again_after_it_is_deleted_and_restored(served, tmp_path):
    root = served.root
    mark = len(served.lines)
    shutil.copytree(root / "content", tmp_path / "backup")
    shutil.rmtree(root / "content")  # its watch ends with it
    served.wait_for(r"error|rebuilt", after=mark)
    mark = len(served.lines)
    shutil.copytree(tmp_path / "backup", root / "content")
    served.wait_for(r"rebuilt", after=mark)
    mark = served.edit("content/roadmap/item.md", ITEM.replace("An item", "Renamed after restore"))
    served.wait_for(r"rebuilt", after=mark)
    status, _, body = served.get("/items/item.html")
    assert status == 200 and b"Renamed after restore" in body


def test_serve_stops_on_sigint_after_hostile_input(served):
    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(timeout=10) == 0
