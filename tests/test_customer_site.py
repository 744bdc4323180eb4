"""The internal site's customer pages: who we build for, accounts with their fit, renewals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import FIXED_EPOCH, ITEM, REQUEST, write_tree
from htmlparse import parse

from generator.build import build

TOML = """\
[accounts]
renewal_days = 60

[accounts.attributes.seats]
type = "number"
"""


def account(name: str, seats: int, renewal: str | None, **more: str) -> str:
    lines = ["---", f"name: {name}", "arr: 100000", "stage: customer", f"seats: {seats}"]
    lines += [f"renewal: {renewal}"] if renewal else []
    lines += [f"{k}: {v}" for k, v in more.items()]
    return "\n".join([*lines, "---", f"Notes on {name}.", ""])


def request(accounts: str, item: str) -> str:
    return REQUEST.replace("---\nBody", f"accounts: {accounts}\nroadmap: {item}\n---\nBody")


FILES = {
    "roadmap.toml": TOML,
    # today is 2026-01-10 (SOURCE_DATE_EPOCH in conftest)
    "content/accounts/big.md": account(
        "Big Co", 500, "2026-02-01", owner="Ann Owner", strategic="true"
    ),
    "content/accounts/small.md": account("Small Co", 20, "2026-01-20"),
    "content/accounts/later.md": account("Later Co", 900, "2026-06-01"),
    "content/accounts/done.md": account("Done Co", 900, "2026-01-15"),
    "content/profile.md": "---\ncriteria:\n  - {attribute: seats, at_least: 200, why: Why.}\n"
    "---\nA good fit: many seats.\n",
    "content/roadmap/wanted.md": ITEM,
    "content/roadmap/niche.md": ITEM,
    "content/roadmap/finished.md": ITEM.replace(
        "status: later", "status: shipped\nshipped: 2026-01-02"
    ),
    "content/requests/from-big.md": request("[{account: big, note: Blocks the renewal}]", "wanted"),
    "content/requests/from-small.md": request("[small]", "niche"),
    "content/requests/from-later.md": request("[later]", "wanted"),
    "content/requests/from-done.md": request("[done]", "finished"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = write_tree(tmp_path_factory.mktemp("project"), FILES)
    out = root / "site"
    with pytest.MonkeyPatch.context() as patch:  # the autouse fixed day is per test
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        result = build(root, out, "internal")
    assert result.files, result.check.report.render("text", 0)
    return out


def test_who_we_build_for_page(site):
    page = parse(site / "profile.html")
    assert "seats at least 200: Why." in page.text
    assert "A good fit: many seats." in page.text
    assert "3 in the profile, 1 outside it" in page.text
    # wanted: big (in, strategic) and later (in); niche: small (out)
    assert "2 of 2 200,000 USD 100% 1" in page.text
    assert "0 of 1 0% 0" in page.text
    assert 'aria-current="page"' in (site / "profile.html").read_text()


def test_account_page_shows_fit_owner_renewal_and_the_requests_note(site):
    big = parse(site / "accounts" / "big.html")
    assert "strategic account" in big.text
    assert "Ann Owner" in big.text and "2026-02-01" in big.text
    assert "meets: seats at least 200" in big.text
    assert "Blocks the renewal" in big.text
    small = parse(site / "accounts" / "small.html")
    assert "misses: seats at least 200" in small.text
    assert "outside profile" in small.text
    assert "Notes on Small Co." in small.text


def test_requests_and_items_outside_the_profile_are_marked(site):
    assert "outside our target profile" in parse(site / "requests" / "from-small.html").text
    assert "outside our target profile" in parse(site / "items" / "niche.html").text
    assert "outside our target profile" not in parse(site / "items" / "wanted.html").text
    assert "outside our target profile" not in parse(site / "requests" / "from-big.html").text


def test_renewals_with_open_requests_soonest_first(site):
    page = parse(site / "accounts.html")
    section = page.text.split("Renewing in the next 60 days with open requests", 1)[1]
    section = section.split("Account Stage ARR", 1)[0]
    assert section.index("Small Co") < section.index("Big Co")  # 2026-01-20, then 02-01
    assert "in 10 days" in section and "in 22 days" in section
    assert "Later Co" not in section  # beyond 60 days
    assert "Done Co" not in section  # its only request has shipped


def test_accounts_export_carries_fit_and_ids(site):
    accounts = {a["id"]: a for a in json.loads((site / "accounts.json").read_text())["entries"]}
    assert accounts["small"]["fit"] == "out"
    assert accounts["small"]["fit_missed"] == ["seats at least 200"]
    assert accounts["big"]["strategic"] is True and accounts["big"]["owner"] == "Ann Owner"
    assert accounts["big"]["open_requests"] == 1
    requests = {r["id"]: r for r in json.loads((site / "requests.json").read_text())["entries"]}
    assert requests["from-small"]["account_ids"] == ["small"]
    assert requests["from-small"]["account_fits"] == ["out"]
    assert requests["from-small"]["outside_profile"] is True
    items = {i["id"]: i for i in json.loads((site / "roadmap.json").read_text())["entries"]}
    assert items["wanted"]["arr_in_profile"] == 200000
    assert items["wanted"]["strategic_accounts"] == 1
    csv_header = (site / "accounts.csv").read_text().splitlines()[0]
    assert csv_header.startswith("id,name,has_file,arr,stage,strategic,owner,renewal,fit")


def test_without_a_profile_there_is_no_profile_page_or_mark(tmp_path):
    files = {k: v for k, v in FILES.items() if k != "content/profile.md"}
    root = write_tree(tmp_path, files)
    build(root, root / "site", "internal")
    assert not (root / "site" / "profile.html").exists()
    index = (root / "site" / "index.html").read_text()
    assert "profile.html" not in index
    assert "outside our target profile" not in (root / "site/items/niche.html").read_text()


def test_each_request_row_of_an_account_page_shows_that_accounts_own_note(tmp_path):
    both = "[{account: big, note: Big wants exports}, {account: small, note: Small too}]"
    files = {**FILES, "content/requests/from-both.md": request(both, "niche")}
    root = write_tree(tmp_path, files)
    assert build(root, root / "site", "internal").files

    def rows(account: str) -> dict[str, str]:
        html = (root / "site" / "accounts" / f"{account}.html").read_text()
        found = {}
        for row in html.split("<tr>")[2:]:  # after the header row
            request_id = row.split('href="../requests/', 1)[1].split(".html", 1)[0]
            found[request_id] = row
        return found

    big, small = rows("big"), rows("small")
    assert sorted(big) == ["from-big", "from-both"] and sorted(small) == ["from-both", "from-small"]
    assert "Blocks the renewal" in big["from-big"] and "Big wants" not in big["from-big"]
    assert "Big wants exports" in big["from-both"] and "Small too" not in big["from-both"]
    assert "Small too" in small["from-both"] and "Big wants" not in small["from-both"]
    assert "muted" not in small["from-small"]  # no note: nothing under the title


def test_a_request_page_has_a_note_column_only_when_an_account_has_a_note(site):
    noted = (site / "requests/from-big.html").read_text()
    assert '<th scope="col">Note</th>' in noted and "<td>Blocks the renewal</td>" in noted
    plain = (site / "requests/from-small.html").read_text()
    assert "Small Co" in plain and '<th scope="col">Note</th>' not in plain
