"""Request parsers that refuse text the database cannot store: a NUL character or a lone surrogate anywhere in a
JSON body is a 400 with a clear message, never a server error halfway through a write (found by API fuzzing)."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser


def unstorable_text(value) -> str | None:
    """The first string in a parsed JSON value that holds a NUL or cannot be encoded as UTF-8, if any."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return item
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return None


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("The JSON body is nested too deeply.") from None
        if unstorable_text(data) is not None:
            raise ParseError("The request holds a null character or an invalid Unicode sequence.")
        return data


class SafeFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if unstorable_text(list(data.lists())) is not None:
            raise ParseError("The request holds a null character or an invalid Unicode sequence.")
        return data


class SafeMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        if unstorable_text(list(result.data.lists())) is not None:
            raise ParseError("The request holds a null character or an invalid Unicode sequence.")
        return result
