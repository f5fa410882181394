"""`borderwatch demo_users`: create one demo user per role and print their logins."""

from typing import Any

from django.core.management.base import BaseCommand

from borderwatch.accounts.demo_users import DEMO_PASSWORD, ensure_demo_users


class Command(BaseCommand):
    help = "Create one demo user per role (idempotent) and print their logins."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for demo in ensure_demo_users():
            state = demo.member_state or "all states"
            self.stdout.write(f"  {demo.username:<16} {demo.role.label:<22} {state}")
