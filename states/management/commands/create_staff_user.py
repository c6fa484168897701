import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from states.roles import DELEGATION_VIEWERS, SPMU_EDITORS


class Command(BaseCommand):
    help = (
        "Create (or update) a back-office login: --editor for SPMU staff who enter treaty "
        "data, --viewer for delegations who may only look. The password comes from "
        "UNTOC_STAFF_PASSWORD or is asked for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        role = parser.add_mutually_exclusive_group(required=True)
        role.add_argument("--editor", action="store_true", help="Member of SPMU editors.")
        role.add_argument("--viewer", action="store_true", help="Member of Delegation viewers.")
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, username: str, email: str, editor: bool, **options: Any) -> None:
        group_name = SPMU_EDITORS if editor else DELEGATION_VIEWERS
        try:
            group = Group.objects.get(name=group_name)
        except Group.DoesNotExist:
            raise CommandError(f"group {group_name!r} is missing: run manage.py migrate") from None
        password = os.environ.get("UNTOC_STAFF_PASSWORD") or self._ask_password()
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first() or user_model(username=username)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError("password refused: " + " ".join(error.messages)) from None
        with transaction.atomic():
            created = user.pk is None
            user.email = email or user.email
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {username} in {group_name}; log in at /admin/.")
        )

    def _ask_password(self) -> str:
        if not os.isatty(0):
            raise CommandError("no terminal to ask for a password: set UNTOC_STAFF_PASSWORD")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ")
        return first
