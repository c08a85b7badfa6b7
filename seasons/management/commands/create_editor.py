import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

PASSWORD_VARIABLE = "SKATEARCHIVE_EDITOR_PASSWORD"
EDITORS = "Editors"


def split_full_name(full_name):
    """``("Jane", "van der Berg")`` from ``"Jane van der Berg"``: Django's user keeps a first and
    a last name and signs with both joined by a space, so splitting at the first space gives the
    name back as written. A name in one word is a first name."""
    first, _, last = " ".join(full_name.split()).partition(" ")
    User = get_user_model()
    for field, part in (("first_name", first), ("last_name", last)):
        limit = User._meta.get_field(field).max_length
        if len(part) > limit:
            raise CommandError(f"The full name is too long: {field} holds {limit} characters.")
    return first, last


def create_editor(username, password, full_name=""):
    """A staff user in the Editors group: may change archive data in the admin, nothing else.
    ``full_name`` signs their corrections on /changes/ and in the admin's history."""
    User = get_user_model()
    if User._default_manager.filter(**{User.USERNAME_FIELD: username}).exists():
        raise CommandError(f"User {username!r} already exists.")
    first_name, last_name = split_full_name(full_name)
    user = User(
        **{User.USERNAME_FIELD: username},
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from error
    try:
        group = Group.objects.get(name=EDITORS)
    except Group.DoesNotExist as error:
        raise CommandError(f"No {EDITORS} group: run `manage.py migrate` first.") from error
    with transaction.atomic():
        user.set_password(password)
        user.save()
        user.groups.add(group)
    return user


class Command(BaseCommand):
    help = (
        "Create an editor: a staff user in the Editors group. The password is prompted for, or "
        f"read from ${PASSWORD_VARIABLE} (for scripts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--full-name",
            default="",
            help="How their corrections are signed on /changes/ and in the admin's history "
            "(“Jane van der Berg”); without it, “an editor”.",
        )

    def handle(self, *args, username, full_name, **options):
        split_full_name(full_name)  # refused before the password is asked for
        password = os.environ.get(PASSWORD_VARIABLE) or self.prompt_password()
        user = create_editor(username, password, full_name)
        signed = f", signing as {user.get_full_name()!r}" if user.get_full_name() else ""
        self.stdout.write(f"Created editor {username!r}{signed}: they can sign in at /admin/.")

    def prompt_password(self):
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        if not password:
            raise CommandError(f"No password given (prompted, or ${PASSWORD_VARIABLE}).")
        return password
