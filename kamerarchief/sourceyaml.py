"""YAML that remembers where each value came from, for errors an editor can act on.

PyYAML forgets line numbers once it builds dicts and silently keeps the last of two equal keys.
This loader keeps both: mappings and lists carry the line of each key and item, duplicate keys and
impossible dates become errors instead of surprises.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import yaml

from .errors import ErrorList


class Mapping(dict):
    """A YAML mapping with the 1-based line of the mapping and of each key."""

    line: int = 1
    key_lines: dict

    def line_of(self, key: str) -> int:
        """The line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A YAML list with the 1-based line of the list and of each item."""

    line: int = 1
    item_lines: list


@dataclass(frozen=True)
class InvalidDate:
    """A value written as a date that is not one (2021-02-30)."""

    text: str


# libyaml's parser is many times faster than PyYAML's own; the constructor below works with either.
try:
    from yaml.cyaml import CParser as _Parser
except ImportError:  # PyYAML built without libyaml
    _Parser = None
_Base = (_Parser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver) if _Parser else (yaml.SafeLoader,)


class _LocatingLoader(*_Base):
    """Safe loader that records lines, reports duplicate keys and tolerates impossible dates."""

    def __init__(self, stream, path: str, errors: ErrorList, line_offset: int):
        if _Parser:
            _Parser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
        else:
            yaml.SafeLoader.__init__(self, stream)
        self.source_path = path
        self.source_errors = errors
        self.line_offset = line_offset

    def _line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.line_offset

    def construct_located_mapping(self, node: yaml.MappingNode):
        mapping = Mapping()
        mapping.line = self._line_of(node)
        mapping.key_lines = {}
        yield mapping
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool, datetime.date)) or isinstance(key, InvalidDate):
                self.source_errors.add(self.source_path, self._line_of(key_node), "a key must be a plain word")
                continue
            key = str(key) if not isinstance(key, str) else key
            if key in mapping:
                self.source_errors.add(
                    self.source_path,
                    self._line_of(key_node),
                    f"duplicate key '{key}' (first at line {mapping.key_lines[key]})",
                )
                continue
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = self._line_of(key_node)

    def construct_located_sequence(self, node: yaml.SequenceNode):
        sequence = Sequence()
        sequence.line = self._line_of(node)
        sequence.item_lines = [self._line_of(item) for item in node.value]
        yield sequence
        sequence.extend(self.construct_object(item, deep=True) for item in node.value)

    def construct_checked_timestamp(self, node: yaml.ScalarNode):
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(self, node)
        except ValueError:
            return InvalidDate(node.value)


_LocatingLoader.add_constructor("tag:yaml.org,2002:map", _LocatingLoader.construct_located_mapping)
_LocatingLoader.add_constructor("tag:yaml.org,2002:seq", _LocatingLoader.construct_located_sequence)
_LocatingLoader.add_constructor("tag:yaml.org,2002:timestamp", _LocatingLoader.construct_checked_timestamp)


def parse_yaml(text: str, path: str, errors: ErrorList, line_offset: int = 0):
    """Parse one YAML document, recording problems in `errors`; returns None when it cannot."""
    loader = None
    try:
        loader = _LocatingLoader(text, path, errors, line_offset)
        return loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1 + line_offset
        errors.add(path, line, f"character U+{exc.character:04X} is not allowed in YAML")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        column = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        context = exc.context_mark
        if exc.problem and exc.context and context and context.line != (mark.line if mark else None):
            # The problem is often noticed a line after the mistake: say where the construct began.
            problem += f" ({exc.context} started at line {context.line + 1 + line_offset})"
        errors.add(path, line, f"YAML syntax error: {problem}", column)
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        errors.add(path, 1 + line_offset, f"YAML error: {exc}")
    except RecursionError:
        errors.add(path, 1 + line_offset, "YAML nests too deeply")
    finally:
        if loader is not None:
            loader.dispose()
    return None


def decode_source(data: bytes, path: str, errors: ErrorList) -> str | None:
    """Decode a content file as UTF-8 (a BOM is allowed) with LF line ends; None if it is unusable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        errors.add(path, line, f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded; save the file as UTF-8")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        errors.add(path, 1, "file is empty")
        return None
    return text
