"""`roadmap schema`: editor support generated from the models the validator uses.

Two outputs, both derived from the models the validator uses (`validation.SCHEMAS`,
and the custom fields and account attributes declared in roadmap.toml), so they
cannot drift from what `roadmap check` accepts:

* JSON Schemas (draft 2020-12), for tools that validate YAML against a schema;
* a `frontmatter.json` for the Front Matter CMS extension of VS Code, whose content
  types give a form editor (every field, with choices, dates and required fields)
  for the frontmatter inside markdown files, which the YAML language server does not
  attach schemas to.
"""

from __future__ import annotations

from typing import Any

from .config import Config, FieldSpec
from .content.files import CONTENT_DIRS, Kind
from .content.validation import SCHEMAS

#: JSON Schema nodes: `$defs` by name, and the field groups made so far by id.
Defs = dict[str, dict[str, Any]]
#: Free-text fields shown as multi-line editors (everything else is one line).
MULTILINE = {"summary", "alternatives"}


def _custom_field_schema(spec: FieldSpec) -> dict[str, Any]:
    kinds: dict[str, dict[str, Any]] = {
        "number": {"type": "number"},
        "string": {"type": "string"},
        "boolean": {"type": "boolean"},
        "choice": {"enum": list(spec.values)},
    }
    schema = kinds[spec.type]
    return {**schema, "description": spec.description} if spec.description else schema


def json_schema(kind: Kind, config: Config) -> dict[str, Any]:
    """JSON Schema of one kind's frontmatter, with the declared custom fields."""
    schema = SCHEMAS[kind].model_json_schema()
    if "fields" in schema["properties"]:
        schema["properties"]["fields"] = {
            "type": "object",
            "description": schema["properties"]["fields"].get("description", ""),
            "properties": {name: _custom_field_schema(s) for name, s in config.fields.items()},
            "additionalProperties": False,
        }
    if kind is Kind.ACCOUNT:  # its other keys are the attributes roadmap.toml declares
        for name, spec in config.accounts.attributes.items():
            schema["properties"][name] = _custom_field_schema(spec)
        schema["additionalProperties"] = False
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"roadmap-{kind.value}.schema.json",
        **schema,
    }


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref`, and drop the `null` branch of an optional field."""
    if "$ref" in node:
        return _resolve(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    options = [o for o in node.get("anyOf") or [] if o.get("type") != "null"]
    if options:  # optional X -> X; confidence (a number or "80%") -> the number
        rest = {k: v for k, v in node.items() if k != "anyOf"}
        return _resolve({**rest, **options[0]}, defs)
    return node


def _fm_field(
    name: str, node: dict[str, Any], required: bool, defs: Defs, groups: Defs
) -> dict[str, Any]:
    raw = node
    node = _resolve(node, defs)
    field: dict[str, Any] = {"title": name.replace("_", " ").capitalize(), "name": name}
    description = raw.get("description") or node.get("description")
    if "enum" in node:
        field.update(type="choice", choices=list(node["enum"]))
    elif node.get("format") == "date":
        field.update(type="datetime", dateFormat="yyyy-MM-dd")
    elif node.get("type") == "number" or node.get("type") == "integer":
        field["type"] = "number"
    elif node.get("type") == "boolean":
        field["type"] = "boolean"
    elif node.get("type") == "array":
        items = node.get("items", {})
        refs = [o for o in items.get("anyOf", ()) if "$ref" in o]
        if refs:  # `accounts`: an id, or a block; the form edits blocks
            items = refs[0]
        if "$ref" in items:
            group = items["$ref"].rsplit("/", 1)[-1].lower()
            groups[group] = _fm_group(group, _resolve(items, defs), defs, groups)
            field.update(type="block", fieldGroup=[group])
        else:
            field["type"] = "list"
    elif node.get("type") == "object" and "properties" in node:
        required_keys = set(node.get("required", []))
        field.update(type="fields", fields=[
            _fm_field(key, sub, key in required_keys, defs, groups)
            for key, sub in node["properties"].items()
        ])  # fmt: skip
    else:
        field["type"] = "string"
        if name not in MULTILINE:
            field["single"] = True
    if "default" in raw and raw["default"] not in (None, [], {}):
        field["default"] = raw["default"]
    if required:
        field["required"] = True
    if description:
        field["description"] = description
    return field


def _fm_group(group: str, node: dict[str, Any], defs: Defs, groups: Defs) -> dict[str, Any]:
    required = set(node.get("required", []))
    fields = [_fm_field(k, v, k in required, defs, groups) for k, v in node["properties"].items()]
    label = "name" if "name" in node["properties"] else "summary"
    return {"id": group, "labelField": label, "fields": fields}


def frontmatter_cms(config: Config) -> dict[str, Any]:
    """`frontmatter.json` for the Front Matter CMS extension (VS Code)."""
    content_types: list[dict[str, Any]] = []
    groups: Defs = {}
    for kind in Kind:
        schema = json_schema(kind, config)
        defs, required = schema.get("$defs", {}), set(schema.get("required", []))
        fields = [
            _fm_field(name, node, name in required, defs, groups)
            for name, node in schema["properties"].items()
        ]
        content_types.append(
            {"name": kind.value, "pageBundle": False, "previewPath": None, "fields": fields}
        )
    folders = [
        {"title": "Requests", "path": f"[[workspace]]/{CONTENT_DIRS[Kind.REQUEST]}",
         "contentTypes": [Kind.REQUEST.value]},
        {"title": "Roadmap", "path": f"[[workspace]]/{CONTENT_DIRS[Kind.ITEM]}",
         "contentTypes": [Kind.ITEM.value]},
        {"title": "Accounts", "path": f"[[workspace]]/{CONTENT_DIRS[Kind.ACCOUNT]}",
         "contentTypes": [Kind.ACCOUNT.value]},
    ]  # fmt: skip
    return {
        "$schema": "https://frontmatter.codes/frontmatter.schema.json",
        "frontMatter.framework.id": "other",
        "frontMatter.content.pageFolders": folders,
        "frontMatter.taxonomy.dateFormat": "yyyy-MM-dd",
        "frontMatter.taxonomy.contentTypes": content_types,
        "frontMatter.taxonomy.fieldGroups": [groups[k] for k in sorted(groups)],
    }
