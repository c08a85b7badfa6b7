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


def create_editor(username, password):
    """A staff user in the Editors group: may change archive data in the admin, nothing else."""
    User = get_user_model()
    if User._default_manager.filter(**{User.USERNAME_FIELD: username}).exists():
        raise CommandError(f"User {username!r} already exists.")
    user = User(**{User.USERNAME_FIELD: username}, is_staff=True)
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

    def handle(self, *args, username, **options):
        password = os.environ.get(PASSWORD_VARIABLE) or self.prompt_password()
        create_editor(username, password)
        self.stdout.write(f"Created editor {username!r}: they can sign in at /admin/.")

    def prompt_password(self):
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        if not password:
            raise CommandError(f"No password given (prompted, or ${PASSWORD_VARIABLE}).")
        return password
