"""What an editor may type into the admin's forms, beyond each model field's own rules.

* A field of one line (a name, a city, a reason) takes no line break and no control character:
  each of those outputs (a calendar event, the preview card, a CSV cell, a page title) is one
  line, and a control character there is at best invisible and at worst breaks the file.
* A field of several lines (an intro, a note) takes line breaks and tabs, no other control
  character; a JSON field (the infobox) the same in each of its strings: PostgreSQL cannot store
  a NUL, which JSON can spell ``\\u0000``.
* Names and free texts are kept within seasons.limits, so that a season stays small enough to
  be saved again and shown whole.

Each refusal says what to remove and where, next to the field it concerns.
"""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from ..limits import MAX_INTRO_LENGTH, MAX_NAME_LENGTH
from ..text import first_control_character

# The model fields that hold a name shown in one line.
NAME_FIELDS = {"name", "city", "arena", "title"}
CHARACTER_NAMES = {
    "\x00": "NUL character",
    "\t": "tab",
    "\n": "line break",
    "\r": "line break",
    "\u2028": "line separator",
    "\u2029": "paragraph separator",
}


def character_name(character: str) -> str:
    return CHARACTER_NAMES.get(character, f"control character U+{ord(character):04X}")


class PlainTextValidator:
    """Refuses control characters: all of them in a field of one line (line breaks included);
    all but line breaks and tabs in a field of several."""

    def __init__(self, *, multiline):
        self.multiline = multiline

    def __call__(self, value):
        for text in strings_in(value):
            index = first_control_character(text, multiline=self.multiline)
            if index is not None:
                kind = "text" if self.multiline else "one line of text"
                raise ValidationError(
                    f"Remove the {character_name(text[index])} at character {index + 1} "
                    f"(“{text[max(0, index - 20) : index]}”): this field takes {kind} without "
                    "control characters.",
                    code="control_character",
                )


def strings_in(value):
    """Every string in ``value``: itself, or those in a list or dict (JSON), keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_in(item)


def json_size_validator(value):
    size = len(json.dumps(value, ensure_ascii=False))
    if size > MAX_INTRO_LENGTH:
        raise ValidationError(
            f"This holds {size:,} characters; the archive keeps at most {MAX_INTRO_LENGTH:,} here.",
            code="max_length",
        )


def guard_fields(form: forms.BaseForm) -> None:
    """Add the rules above to each text field of ``form``."""
    for name, field in form.fields.items():
        if isinstance(field, forms.JSONField):
            field.validators += [PlainTextValidator(multiline=True), json_size_validator]
        elif isinstance(field, forms.CharField):
            multiline = isinstance(field.widget, forms.Textarea)
            field.validators.append(PlainTextValidator(multiline=multiline))
            limit = MAX_INTRO_LENGTH if multiline else MAX_NAME_LENGTH
            if multiline or name in NAME_FIELDS:
                limit_length(field, limit)


def limit_length(field, limit):
    if field.max_length is not None and field.max_length <= limit:
        return
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)
