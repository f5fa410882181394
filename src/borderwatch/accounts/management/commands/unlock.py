"""`borderwatch unlock USERNAME`: lift a sign-in lockout before its cool-off ends (audited).

`borderwatch axes_list_attempts` lists the failures kept; the other axes_reset* commands of
django-axes work too but leave no audit entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from borderwatch.accounts.services import unlock_user


class Command(BaseCommand):
    help = "Lift the sign-in lockout of a username (from every address)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        cleared = unlock_user(options["username"])
        if cleared:
            self.stdout.write(f"Unlocked {options['username']} ({cleared} failure record(s)).")
        else:
            self.stdout.write(f"{options['username']} had no failed sign-ins recorded.")
