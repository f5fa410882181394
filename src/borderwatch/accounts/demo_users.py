"""One demo user per role, for `make run` and the browser tests."""

from __future__ import annotations

from dataclasses import dataclass

from borderwatch.accounts.models import User
from borderwatch.accounts.services import create_user
from borderwatch.core.roles import Role

DEMO_PASSWORD = "borderwatch-demo"  # noqa: S105 - demo accounts only, printed by `make run`


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    member_state: str


DEMO_USERS = [
    DemoUser("guard.lt", Role.BORDER_GUARD, "LT"),
    DemoUser("guard.pl", Role.BORDER_GUARD, "PL"),
    DemoUser("registrar.lt", Role.REGISTRATION_OFFICER, "LT"),
    DemoUser("expert.lt", Role.FINGERPRINT_EXPERT, "LT"),
    DemoUser("reception.lt", Role.RECEPTION_MANAGER, "LT"),
    DemoUser("case.lt", Role.CASE_OFFICER, "LT"),
    DemoUser("coordinator.lt", Role.NATIONAL_COORDINATOR, "LT"),
    DemoUser("coordinator.lv", Role.NATIONAL_COORDINATOR, "LV"),
    DemoUser("coordinator.pl", Role.NATIONAL_COORDINATOR, "PL"),
    DemoUser("registrar.pl", Role.REGISTRATION_OFFICER, "PL"),
    DemoUser("expert.pl", Role.FINGERPRINT_EXPERT, "PL"),
    DemoUser("frontex", Role.FRONTEX_ANALYST, ""),
    DemoUser("commission", Role.COMMISSION_VIEWER, ""),
]


def ensure_demo_users() -> list[DemoUser]:
    """Create the demo users that do not exist yet; idempotent."""
    for demo in DEMO_USERS:
        if not User.objects.filter(username=demo.username).exists():
            create_user(
                None,
                username=demo.username,
                password=DEMO_PASSWORD,
                role=demo.role,
                member_state=demo.member_state,
            )
    return DEMO_USERS
