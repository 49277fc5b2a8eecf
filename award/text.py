"""Text that people type or import holds no invisible control characters.

A control character (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) cannot be seen,
and some break things later: PostgreSQL refuses NUL outright, SQLite stores it, and an
XLSX export then fails on it. So every form field and every imported cell is checked
with the one function here, and a refusal says in Swedish which character it is and where
it stands, so the person can find it and remove it; what they wrote is kept. Rows stored
before the check may still hold one: every export writes it as a visible stand-in
(`shown`), so a file is always written.

Long text (a textarea, a TextField) may hold tabs and line breaks (tab, line feed and
carriage return); a single-line field may hold neither.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LINE_BREAKS = frozenset("\n\r")
ALLOWED_IN_LONG_TEXT = frozenset("\t\n\r")

# The standard abbreviations (ISO 6429), which is what a text editor that shows invisible
# characters displays.
C0_NAMES = "NUL SOH STX ETX EOT ENQ ACK BEL BS TAB LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
C1_NAMES = "PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 DCS PU1 PU2 STS CCH MW SPA EPA SOS SGCI SCI CSI ST OSC PM APC"
NAMES = {**dict(enumerate(C0_NAMES.split())), 0x7F: "DEL", **dict(enumerate(C1_NAMES.split(), start=0x80))}

# Text shown before the character, so the person can find it.
CONTEXT_CHARS = 20


class Action:
    """What the person does after removing the character (the message's last words)."""

    SAVE = "save"
    IMPORT = "import"


def is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F


def refused_characters(text: str, *, multiline: bool) -> list[int]:
    """Positions in `text` of the characters it may not hold."""
    allowed = ALLOWED_IN_LONG_TEXT if multiline else frozenset()
    return [i for i, char in enumerate(text) if is_control(char) and char not in allowed]


def character_label(char: str) -> str:
    """E.g. "NUL, U+0000"."""
    code = ord(char)
    name = NAMES.get(code)
    return f"{name}, U+{code:04X}" if name else f"U+{code:04X}"


@dataclass(frozen=True)
class Refusal:
    char: str
    line: int  # 1-based
    before: str  # the text before it on its line (shortened)
    more: int  # further refused characters in the text
    multiline: bool  # the text may hold line breaks and has more than one line

    def message(self, action: str = Action.SAVE) -> str:
        label = character_label(self.char)
        if self.char in LINE_BREAKS:
            what = _("Texten innehåller en radbrytning (%(char)s)") % {"char": label}
        elif self.char == "\t":
            what = _("Texten innehåller ett tabbtecken (%(char)s)") % {"char": label}
        else:
            what = _("Texten innehåller ett osynligt styrtecken (%(char)s)") % {"char": label}
        if self.multiline and self.before:
            where = _("på rad %(line)s, efter ”%(before)s”") % {"line": self.line, "before": self.before}
        elif self.multiline:
            where = _("i början av rad %(line)s") % {"line": self.line}
        elif self.before:
            where = _("efter ”%(before)s”") % {"before": self.before}
        else:
            where = _("i början av texten")
        sentences = [f"{what} {where}."]
        remove = _("Ta bort dem") if self.more else _("Ta bort det")
        if self.more:
            sentences.append(
                ngettext(
                    "Det finns ett sådant tecken till.",
                    "Det finns %(count)s sådana tecken till.",
                    self.more,
                )
                % {"count": self.more}
            )
        if not self.multiline and (self.char in LINE_BREAKS or self.char == "\t"):
            sentences.append(
                _("Kolumnen ska vara en enda rad: ta bort tecknet i filen och importera igen.")
                if action == Action.IMPORT
                else _("Fältet ska vara en enda rad: ta bort tecknet och spara igen.")
            )
        else:
            sentences.append(
                _("%(remove)s i filen och importera igen.") % {"remove": remove}
                if action == Action.IMPORT
                else _("%(remove)s och spara igen.") % {"remove": remove}
            )
        return " ".join(sentences)


def find_refusal(text: str, *, multiline: bool) -> Refusal | None:
    """The first character `text` may not hold, where it stands, and how many more there
    are; None when the text is clean."""
    positions = refused_characters(text, multiline=multiline)
    if not positions:
        return None
    first = positions[0]
    # Lines as the person sees them: \r\n, \n and \r each end one.
    head = text[:first].replace("\r\n", "\n").replace("\r", "\n")
    line = head.count("\n") + 1
    before = head.rsplit("\n", 1)[-1]
    if len(before) > CONTEXT_CHARS:
        before = "…" + before[-CONTEXT_CHARS:].lstrip()
    return Refusal(
        char=text[first],
        line=line,
        before=before,
        more=len(positions) - 1,
        multiline=multiline and bool(LINE_BREAKS.intersection(text)),
    )


# What shown() replaces: every control character but tab and the line breaks, which a long
# text may hold and a spreadsheet cell keeps.
SHOWN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _picture(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400–U+241F: ␀ for NUL, ␇ for BEL, ␋ for VT…
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls have no picture of their own: �


def shown(text: str) -> str:
    """`text` for a file written out (an export): each control character, which older rows
    may hold from before the check above, is replaced by a visible stand-in, its Unicode
    control picture (␀ for NUL, ␇ for BEL; U+FFFD for the C1 controls, which have none).
    Replaced rather than escaped or dropped: a spreadsheet cannot hold most of them (XLSX
    refuses them outright), an escape such as Excel's _x0007_ would turn back into the
    invisible character in Excel, and dropping one would silently glue the words around it;
    the picture shows where it stood. Tabs and line breaks are kept. None of the pictures
    can start a formula, so formula escaping after this still holds."""
    return SHOWN.sub(_picture, text)


def check(text: str, *, multiline: bool, action: str = Action.SAVE) -> None:
    """Raise a ValidationError with the Swedish message when `text` holds a control
    character it may not."""
    refusal = find_refusal(text, multiline=multiline)
    if refusal is not None:
        raise ValidationError(refusal.message(action), code="control_character")


@deconstructible
class ControlCharacterValidator:
    """A field validator: no control characters; tab and line breaks only when
    `multiline`. Replaces Django's ProhibitNullCharactersValidator, with our message."""

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        if isinstance(value, str):
            check(value, multiline=self.multiline)

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline

    def __hash__(self):
        return hash((type(self), self.multiline))
