"""A message as data: its English text (the catalogs' msgid, with named placeholders) and the words that fill it,
worded in the language asked only when it is shown, as a finding's message is (messages.py).

The problems of the config and the narrative's placeholders, and the errors a command stops with, carry one: the
log keeps the English, the terminal says it in the language of --lang. What the user typed (a key, a value, a
file's path) fills a placeholder as typed; a whole number is said in the language's digits; a Said may fill
another's placeholder (a hint), worded in the same language."""
from __future__ import annotations


class Said:
    """A message and its words. str() is the English; worded(say) is the message in say's language
    (messages.Saying)."""

    __slots__ = ("message", "words")

    def __init__(self, message: str, **words: object):
        self.message = message
        self.words = words

    def worded(self, say=None) -> str:
        """The message in the language of say (English without one)."""
        text = self.message if say is None else say.gettext(self.message)
        return text % {name: _word(value, say) for name, value in self.words.items()}

    def __str__(self) -> str:
        return self.worded()

    def __repr__(self) -> str:
        return f"Said({self.message!r}, {self.words!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Said) and (self.message, self.words) == (other.message, other.words)

    def __hash__(self) -> int:
        return hash(self.message)


class Lines:
    """Items said one under the other, each after "  - ": a list too long for one sentence."""

    __slots__ = ("items",)

    def __init__(self, items):
        self.items = list(items)

    def worded(self, say=None) -> str:
        return "\n".join(f"  - {_word(item, say)}" for item in self.items)

    def __str__(self) -> str:
        return self.worded()


class Quoted:
    """Values as the user typed them, each between quotes: 'html', 'pdf' in English, «html»، «pdf» in Arabic."""

    __slots__ = ("values",)

    def __init__(self, values):
        self.values = list(values) if isinstance(values, (list, tuple)) else [values]

    def worded(self, say=None) -> str:
        if not self.values:
            return "[]"  # an empty list, as typed
        if say is not None and say.arabic:
            return say.pgettext("between the items of a list", ", ").join(f"«{v}»" for v in self.values)
        return ", ".join(f"'{v}'" for v in self.values)

    def __str__(self) -> str:
        return self.worded()


class Stamp:
    """A time stamp as recorded (when a report was approved): as it is in English, its day in Arabic."""

    __slots__ = ("stamp",)

    def __init__(self, stamp: str):
        self.stamp = str(stamp)

    def worded(self, say=None) -> str:
        return say.date(self.stamp[:10]) if say is not None and say.arabic and self.stamp[:10] else self.stamp

    def __str__(self) -> str:
        return self.stamp


def _word(value: object, say) -> str:
    if isinstance(value, Said | Lines) or hasattr(value, "worded"):
        return value.worded(say)
    if say is None:
        return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    if isinstance(value, (list, tuple)):
        return say.pgettext("between the items of a list", ", ").join(_word(item, say) for item in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return say.number(value)
    from .periods import Period

    if isinstance(value, Period) and say.arabic:
        return say.period(str(value))  # the month's Iraqi name; English keeps the key as the command line writes it
    return str(value)


def worded(message: object, say=None) -> str:
    """A message that may be a Said, or text worded already (a library's own message), in say's language."""
    return message.worded(say) if isinstance(message, Said) else str(message)
