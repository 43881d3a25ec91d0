"""The SQL-like filter of ``POST /v2/datasets/{id}/examples/search``.

Grammar (keywords are case-insensitive)::

    expr       := conjunct ("OR" conjunct)*
    conjunct   := atom ("AND" atom)*
    atom       := "(" expr ")" | "NOT" atom | comparison
    comparison := path op literal
    op         := "=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">="
    path       := name ("." name)*      name: identifier, "double quoted" or `backticked`
    literal    := 'single quoted' ('' escapes a quote) | number | true | false | null

A path is ``id``, ``annotation.<name>.<label|score|text>``, or a column (then ``.key`` steps
into an object value). A comparison with a missing value is false (SQL's NULL), except that
``= null`` matches a missing or null value and ``<> null`` a present one.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from evalsets.core.errors import InvalidInput

Row = Mapping[str, Any]
Predicate = Callable[[Row], bool]


class FilterSyntaxError(InvalidInput):
    """The filter cannot be parsed (Arize answers 400)."""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<str>'(?:[^']|'')*')
      | (?P<qname>"(?:[^"]|"")*"|`[^`]*`)
      | (?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
      | (?P<op><>|!=|==|<=|>=|=|<|>)
      | (?P<punct>[().])
      | (?P<name>[A-Za-z_][A-Za-z0-9_\-]*)
    )""",
    re.VERBOSE,
)

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "==": operator.eq,
    "!=": operator.ne,
    "<>": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_MISSING = object()


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    value: Any = None


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise FilterSyntaxError(f"invalid filter near {text[pos : pos + 20]!r}", field="filter")
        pos = match.end()
        kind = match.lastgroup or ""
        raw = match.group(kind)
        if kind == "str":
            tokens.append(Token("lit", raw, raw[1:-1].replace("''", "'")))
        elif kind == "num":
            tokens.append(
                Token("lit", raw, float(raw) if any(c in raw for c in ".eE") else int(raw))
            )
        elif kind == "qname":
            inner = raw[1:-1]
            tokens.append(Token("name", raw, inner.replace('""', '"') if raw[0] == '"' else inner))
        elif kind == "name":
            lowered = raw.lower()
            if lowered in ("and", "or", "not"):
                tokens.append(Token(lowered, raw))
            elif lowered in ("true", "false", "null"):
                tokens.append(Token("lit", raw, {"true": True, "false": False}.get(lowered)))
            else:
                tokens.append(Token("name", raw, raw))
        else:
            tokens.append(Token(kind, raw))
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, kind: str) -> Token:
        token = self.peek()
        if token is None or token.kind != kind:
            where = token.text if token else "end of filter"
            raise FilterSyntaxError(f"invalid filter: unexpected {where!r}", field="filter")
        self.pos += 1
        return token

    def accept(self, kind: str, text: str | None = None) -> bool:
        token = self.peek()
        if token is not None and token.kind == kind and (text is None or token.text == text):
            self.pos += 1
            return True
        return False

    def expr(self) -> Predicate:
        parts = [self.conjunct()]
        while self.accept("or"):
            parts.append(self.conjunct())
        if len(parts) == 1:
            return parts[0]
        return lambda row: any(p(row) for p in parts)

    def conjunct(self) -> Predicate:
        parts = [self.atom()]
        while self.accept("and"):
            parts.append(self.atom())
        if len(parts) == 1:
            return parts[0]
        return lambda row: all(p(row) for p in parts)

    def atom(self) -> Predicate:
        if self.accept("punct", "("):
            inner = self.expr()
            self.take_punct(")")
            return inner
        if self.accept("not"):
            negated = self.atom()
            return lambda row: not negated(row)
        return self.comparison()

    def take_punct(self, text: str) -> None:
        if not self.accept("punct", text):
            raise FilterSyntaxError(f"invalid filter: expected {text!r}", field="filter")

    def comparison(self) -> Predicate:
        path = [self.take("name").value]
        while self.accept("punct", "."):
            path.append(self.take("name").value)
        op = self.take("op").text
        literal = self.take("lit").value
        return _compare(tuple(path), op, literal)


def _lookup(row: Row, path: tuple[str, ...]) -> Any:
    if path[0] == "annotation" and len(path) == 3:
        for entry in row.get("annotations") or []:
            if isinstance(entry, Mapping) and entry.get("name") == path[1]:
                return entry.get(path[2], _MISSING)
        return _MISSING
    value: Any = row
    for step in path:
        if not isinstance(value, Mapping) or step not in value:
            return _MISSING
        value = value[step]
    return value


def _compare(path: tuple[str, ...], op: str, literal: Any) -> Predicate:
    compare = _OPS[op]

    def predicate(row: Row) -> bool:
        value = _lookup(row, path)
        if literal is None:
            present = value is not _MISSING and value is not None
            return present if op in ("!=", "<>") else (not present if op in ("=", "==") else False)
        if value is _MISSING or value is None:
            return False
        if isinstance(value, bool) != isinstance(literal, bool):
            return op in ("!=", "<>")
        numeric = isinstance(value, int | float) and isinstance(literal, int | float)
        if not numeric and type(value) is not type(literal):
            if isinstance(literal, str) and not isinstance(value, dict | list):
                value = str(value)
            else:
                return op in ("!=", "<>")
        try:
            return bool(compare(value, literal))
        except TypeError:
            return False

    return predicate


def parse(text: str) -> Predicate:
    """A predicate over Arize example rows; FilterSyntaxError (or InvalidInput when blank)."""
    if not text.strip():
        raise InvalidInput("filter must not be empty or whitespace", field="filter")
    parser = _Parser(tokenize(text))
    predicate = parser.expr()
    if parser.peek() is not None:
        raise FilterSyntaxError(
            f"invalid filter: unexpected {parser.peek().text!r}",  # type: ignore[union-attr]
            field="filter",
        )
    return predicate
