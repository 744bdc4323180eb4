"""The customer-request issue form: its fields, declared once for the form and its reader.

`roadmap schema --issue-form` writes `.github/ISSUE_TEMPLATE/customer-request.yml` from
:func:`form_fields`, and `roadmap intake` reads the issue GitHub makes from it by the
same labels, so the form, the reader and the validator cannot drift: the stages come
from the request model, the custom fields and their allowed values from roadmap.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import yaml

from ..config import Config, FieldSpec
from ..content.frontmatter import STAGES

#: The label the form puts on its issues; the intake workflow runs on issues that carry it.
LABEL = "customer-request"
#: Where GitHub looks for the form, and the `template=` of links that open it.
FORM_FILE = "customer-request.yml"
FORM_PATH = f".github/ISSUE_TEMPLATE/{FORM_FILE}"
#: What the two answers of a yes/no custom field read as.
YES_NO = ("yes", "no")


FieldKind = Literal["input", "textarea", "dropdown"]


@dataclass(frozen=True, slots=True)
class FormField:
    """One question of the form."""

    id: str
    """The form element's id: also the query parameter that prefills it in a link."""
    label: str
    """The question, and the `### Label` heading of its answer in the issue body."""
    kind: FieldKind
    """How it is asked."""
    description: str
    """Help shown under the question."""
    required: bool = False
    """GitHub refuses to submit the form without it (intake checks it again: an issue
    can be edited afterwards)."""
    options: tuple[str, ...] = ()
    """A dropdown's choices."""
    placeholder: str = ""
    """Example text shown in an empty input."""
    custom: str | None = None
    """The custom field (`[fields.<name>]` in roadmap.toml) it fills, if any."""
    custom_type: str = ""
    """That field's type (number, string, boolean, choice)."""


def _custom(name: str, spec: FieldSpec, taken: set[str]) -> FormField:
    label = name.replace("_", " ").capitalize()
    if label.casefold() in taken:  # labels are how answers are found: never two alike
        label = f"{label} (field)"
    taken.add(label.casefold())
    description = spec.description or f"The `{name}` field of the request."
    options: tuple[str, ...] = ()
    kind: FieldKind = "input"
    if spec.type in ("choice", "boolean"):
        options, kind = (tuple(spec.values) if spec.type == "choice" else YES_NO), "dropdown"
    elif spec.type == "number":
        description += " A number."
    return FormField(f"field_{name}", label, kind, description, options=options, custom=name,
                     custom_type=spec.type)  # fmt: skip


def form_fields(config: Config) -> tuple[FormField, ...]:
    """Every question, in the order the form asks them (and GitHub writes the answers)."""
    currency = config.site.currency
    fields = [
        FormField(
            "need", "Customer need", "textarea",
            "What is the customer trying to do, in their words? Paste or paraphrase what "
            "they said; markdown works.", required=True,
        ),
        FormField(
            "impact", "How it blocks them", "textarea",
            "What happens if we do nothing: a deal that cannot close, a renewal at risk, a "
            "workaround that costs them time every week.", required=True,
        ),
        FormField(
            "account", "Account", "input",
            "The customer or prospect asking: its account id (the name of its file in "
            "content/accounts/, e.g. globex) or the company's name.",
            required=True, placeholder="globex",
        ),
        FormField(
            "arr", "ARR", "input",
            f"That account's annual recurring revenue in {currency} (120000, 120k or 1.2M). "
            "Leave it empty when the account has a file: the file's figure is used.",
            placeholder="120k",
        ),
        FormField(
            "stage", "Stage", "dropdown",
            "Where that account stands with us. Leave it empty when the account has a file.",
            options=STAGES,
        ),
        FormField(
            "other_accounts", "Other accounts asking", "textarea",
            "One account per line, by id or company name.",
        ),
        FormField(
            "requester", "Who asks", "input",
            "Your name and role. Empty: your GitHub user name.", placeholder="Sam Patel (AE)",
        ),
        FormField(
            "item", "Roadmap item", "input",
            "If it is about an item on the roadmap: the item's id (its page is "
            "items/<id>.html). Leave it empty if you are not sure.",
        ),
        FormField("area", "Product area", "input", "Optional: the part of the product."),
        FormField(
            "crm", "CRM record", "input",
            "Optional: a link to the opportunity or account in the CRM (https://...).",
        ),
    ]  # fmt: skip
    taken = {field.label.casefold() for field in fields}
    fields += [_custom(name, spec, taken) for name, spec in config.fields.items()]
    return tuple(fields)


def _element(field: FormField) -> dict[str, Any]:
    attributes: dict[str, Any] = {"label": field.label, "description": field.description}
    if field.placeholder:
        attributes["placeholder"] = field.placeholder
    if field.options:
        attributes["options"] = list(field.options)
    return {
        "type": field.kind,
        "id": field.id,
        "attributes": attributes,
        "validations": {"required": field.required},
    }


def issue_form(config: Config) -> str:
    """The issue form's YAML, ready for `.github/ISSUE_TEMPLATE/customer-request.yml`."""
    form = {
        "name": "Customer request",
        "description": "Log what a customer or prospect asks for. It becomes a request file "
        "in the roadmap, reviewed by a product manager in a pull request.",
        "labels": [LABEL],
        "body": [
            {
                "type": "markdown",
                "attributes": {
                    "value": "One request per issue, one need per request. A pull request "
                    "adds it to the roadmap; this issue closes when it is merged. If "
                    "something is missing, a comment here says what to fix: edit the issue "
                    "and it is read again."
                },
            },
            *(_element(field) for field in form_fields(config)),
        ],
    }
    head = (
        "# Generated by `roadmap schema --issue-form` from roadmap.toml: do not edit by hand\n"
        "# (regenerate it after changing [fields] or [site] there). `roadmap intake` reads\n"
        "# the issues it makes by these labels.\n"
    )
    return head + yaml.safe_dump(form, sort_keys=False, allow_unicode=True, width=88)
