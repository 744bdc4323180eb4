"""A safe expression language for custom scoring formulas.

Formulas come from roadmap.toml, which is reviewed but still untrusted input: it is
parsed with Python's `ast` and evaluated by walking a whitelist of node types.
Nothing is ever passed to `eval`; there are no attributes, subscripts, lambdas or
comprehensions; every number is a float, so `10 ** 10 ** 10` overflows at once
instead of computing a huge integer.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.Mod: operator.mod,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], float | bool]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Not: operator.not_,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
FUNCTIONS: dict[str, Callable[..., float]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "log": math.log,
    "log10": math.log10,
    "sqrt": math.sqrt,
    "round": round,
}
MAX_LENGTH = 500
#: Deeper trees are refused: evaluation and explanations recurse once per level.
MAX_DEPTH = 50


class FormulaError(ValueError):
    """The formula is not valid; the message says why and where."""


class EvaluationError(ValueError):
    """The formula is valid but cannot be computed for these values (e.g. a / 0)."""


@dataclass(frozen=True, slots=True)
class Formula:
    """A parsed, checked formula."""

    source: str
    """The text as written in roadmap.toml."""
    tree: ast.Expression
    """Its syntax tree, containing only whitelisted nodes."""
    names: frozenset[str]
    """Every variable it reads."""

    @classmethod
    def parse(cls, source: str, known_names: frozenset[str] | None = None) -> Formula:
        """Parse and check; raises FormulaError with a message for the author."""
        if len(source) > MAX_LENGTH:
            raise FormulaError(f"formula longer than {MAX_LENGTH} characters")
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except SyntaxError as exc:
            raise FormulaError(f"syntax error at column {exc.offset}: {exc.msg}") from None
        except (RecursionError, MemoryError):
            raise FormulaError(f"formula nested deeper than {MAX_DEPTH} levels") from None
        names: set[str] = set()
        # iteratively, and before anything recursive (evaluation, explanations) sees it
        stack: list[tuple[ast.AST, int]] = [(tree, 0)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise FormulaError(f"formula nested deeper than {MAX_DEPTH} levels")
            _check_node(node, names)
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
        if known_names is not None:
            unknown = sorted(names - known_names)
            if unknown:
                raise FormulaError(
                    f"unknown name `{unknown[0]}`; known names: {', '.join(sorted(known_names))}"
                )
        return cls(source, tree, frozenset(names))

    def evaluate(self, values: Mapping[str, float | str | bool]) -> float:
        """The value for these inputs; raises EvaluationError when it has none."""
        try:
            result = _eval(self.tree.body, values)
        except (ZeroDivisionError, OverflowError, ValueError, TypeError) as exc:
            raise EvaluationError(str(exc) or type(exc).__name__) from None
        if isinstance(result, bool):
            result = float(result)
        if not isinstance(result, int | float) or not math.isfinite(result):
            raise EvaluationError(f"the result is not a finite number ({result!r})")
        return float(result)

    def filled_in(
        self, values: Mapping[str, float | str | bool], fmt: Callable[[float], str]
    ) -> str:
        """The formula with each name followed by its value, for explanations."""

        class Fill(ast.NodeTransformer):
            def visit_Name(self, node: ast.Name) -> ast.AST:
                if node.id in values:
                    value = values[node.id]
                    shown = fmt(value) if isinstance(value, int | float) else repr(value)
                    return ast.Name(id=f"{node.id} {shown}", ctx=ast.Load())
                return node

        return ast.unparse(Fill().visit(ast.parse(self.source.strip(), mode="eval")))


def _check_node(node: ast.AST, names: set[str]) -> None:
    allowed = (
        ast.Expression, ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.IfExp,
        ast.Constant, ast.Name, ast.Load, ast.Call, ast.And, ast.Or,
        *_BINARY, *_UNARY, *_COMPARE,
    )  # fmt: skip
    if not isinstance(node, allowed):
        raise FormulaError(f"`{type(node).__name__}` is not allowed in a formula")
    if isinstance(node, ast.Constant) and not isinstance(node.value, int | float | str):
        raise FormulaError(f"constant {node.value!r} is not allowed")
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise FormulaError(f"only these functions are allowed: {', '.join(FUNCTIONS)}")
        if node.keywords:
            raise FormulaError("functions take positional arguments only")
    elif isinstance(node, ast.Name) and node.id not in FUNCTIONS:
        names.add(node.id)


Value = float | str | bool


def _eval(node: ast.AST, values: Mapping[str, Value]) -> Value:
    match node:
        case ast.Constant(value=constant):
            assert isinstance(constant, int | float | str)  # the only constants parse lets in
            return float(constant) if isinstance(constant, int) else constant
        case ast.Name(id=name):
            if name not in values:
                raise ValueError(f"no value for `{name}`")
            return values[name]
        case ast.BinOp(left=left, op=binary, right=right):
            return _BINARY[type(binary)](_number(left, values), _number(right, values))
        case ast.UnaryOp(op=unary, operand=operand):
            return _UNARY[type(unary)](_eval(operand, values))
        case ast.BoolOp(op=boolean, values=operands):
            results = [_eval(o, values) for o in operands]
            return all(results) if isinstance(boolean, ast.And) else any(results)
        case ast.Compare(left=first, ops=ops, comparators=comparators):
            current = _eval(first, values)
            for compare, comparator in zip(ops, comparators, strict=True):
                following = _eval(comparator, values)
                if not _COMPARE[type(compare)](current, following):
                    return False
                current = following
            return True
        case ast.IfExp(test=test, body=body, orelse=orelse):
            return _eval(body if _eval(test, values) else orelse, values)
        case ast.Call(func=ast.Name(id=name), args=args):
            return FUNCTIONS[name](*(_number(a, values) for a in args))
    raise ValueError(f"cannot evaluate {type(node).__name__}")  # unreachable after parse


def _number(node: ast.AST, values: Mapping[str, float | str | bool]) -> float:
    value = _eval(node, values)
    if isinstance(value, str):
        raise TypeError(f"text {value!r} used as a number")
    return float(value)
