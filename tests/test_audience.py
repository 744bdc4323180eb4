"""The audience decides what each site shows: a field is internal until the public list names it."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields

import pytest

from generator.site import views
from generator.site.audience import AUDIENCES, INTERNAL, PUBLIC
from generator.site.views import ItemView, Link, RequestView, ScoreView, StakeView


def _item(**extra: object) -> ItemView:
    return ItemView(
        id="sso", url="items/sso.html", title="SSO", status="now", theme="Identity",
        owner="Dana", target="2027-Q1", shipped="", body="Body", decisions=(),
        alternatives="", tags=(), score=ScoreView("12", 1, "RICE 12 = ...", 12.0),
        requests=(Link("r", "R", "requests/r.html", "now"),),
        accounts=(StakeView("globex", "Globex", "accounts/globex.html", "1 USD", "customer"),),
        arr="410,000 USD", arr_value=410000.0, **extra,
    )  # fmt: skip


def test_the_public_audience_blanks_every_field_it_does_not_list():
    public = PUBLIC.redact(_item())
    assert (public.score, public.requests, public.accounts, public.arr, public.arr_value) == (
        None, (), (), "", 0.0,
    )  # fmt: skip
    assert (public.id, public.title, public.theme) == ("sso", "SSO", "Identity")
    assert public.owner == ""  # who owns it is internal
    assert INTERNAL.redact(_item()) == _item()


def test_a_new_view_or_field_is_internal_until_listed():
    @dataclass(frozen=True)
    class NewView:  # a view type nobody listed for the public audience yet
        title: str = ""
        revenue_at_risk: str = ""

    assert PUBLIC.redact(NewView("Renewal", "1.2M")) == NewView()
    assert INTERNAL.redact(NewView("Renewal", "1.2M")) == NewView("Renewal", "1.2M")


def test_every_field_hidden_from_the_public_has_an_empty_default():
    # a hidden field without a default could not be blanked: redact refuses it loudly
    for kind in (views.Site, views.ItemView, views.RequestView, views.DecisionView):
        hidden = [f.name for f in fields(kind) if not PUBLIC.shows_field(kind, f.name)]
        assert all(f.default is not MISSING for f in fields(kind) if f.name in hidden), kind

    @dataclass(frozen=True)
    class NoDefault:
        secret: str

    with pytest.raises(TypeError, match="no empty default"):
        PUBLIC.redact(NoDefault("x"))


def test_public_shows_only_public_files_and_no_account_or_priorities_page():
    assert PUBLIC.shows("public") and not PUBLIC.shows("internal")
    assert INTERNAL.shows("internal")
    assert {name for name, _ in INTERNAL.index_pages} - {name for name, _ in PUBLIC.index_pages} == {
        "accounts", "priorities",
    }  # fmt: skip
    assert set(AUDIENCES) == {"internal", "public"}
    assert not PUBLIC.shows_field(RequestView, "requester")


def test_every_free_text_field_the_public_sees_is_checked_for_names():
    # the public-text check (E403) must read every text field the public site shows
    from generator.content.disclosure import PUBLIC_TEXT_FIELDS
    from generator.content.files import Kind
    from generator.site.strategy import ThemeView
    from generator.site.views import DecisionView

    not_free_text = {"id", "url", "status", "target", "shipped", "submitted", "date", "outcome",
                     "body", "decisions", "item", "canonical", "duplicates",
                     "reason", "reason_label",  # a fixed vocabulary
                     "theme_url", "goal",  # the strategy's, checked with it (below)
                     "items"}  # fmt: skip
    for view, kind in ((ItemView, Kind.ITEM), (RequestView, Kind.REQUEST)):
        shown = {f.name for f in fields(view) if PUBLIC.shows_field(view, f.name)}
        checked = {key.split(".")[0] for key in PUBLIC_TEXT_FIELDS[kind]}
        assert shown - not_free_text <= checked, view
    decided = {f.name for f in fields(DecisionView) if PUBLIC.shows_field(DecisionView, f.name)}
    assert {f"decisions.{n}" for n in decided - not_free_text} <= set(PUBLIC_TEXT_FIELDS[Kind.ITEM])
    themed = {f.name for f in fields(ThemeView) if PUBLIC.shows_field(ThemeView, f.name)}
    checked = set(PUBLIC_TEXT_FIELDS[Kind.STRATEGY])
    assert {f"themes.{n}" for n in themed - {"url", "items"}} <= checked
