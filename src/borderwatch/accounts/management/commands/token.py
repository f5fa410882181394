"""`borderwatch token create|list|revoke --user NAME`: a user's API bearer tokens.

create prints the token once (only its digest is stored); list shows name, prefix, dates and
state; revoke takes the id that list shows. Writes are audited (actor: system)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from borderwatch.accounts.models import ApiToken, User
from borderwatch.accounts.selectors import token_of, tokens_of, user_named
from borderwatch.accounts.services import issue_token, revoke_token, token_digest


class Command(BaseCommand):
    help = "Create, list or revoke a user's API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token and print it (shown only once)")
        create.add_argument("--user", required=True)
        create.add_argument("--name", required=True, help="where it is used")
        create.add_argument(
            "--days", type=int, default=None, help=f"lifetime (default {settings.TOKEN_DAYS})"
        )
        listing = sub.add_parser("list", help="the user's tokens")
        listing.add_argument("--user", required=True)
        revoke = sub.add_parser("revoke", help="revoke one of the user's tokens")
        revoke.add_argument("--user", required=True)
        revoke.add_argument("token_id", type=int, help="the id `token list` shows")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = user_named(options["user"])
        except ObjectDoesNotExist:
            raise CommandError(f"No user {options['user']!r}.") from None
        action = options["action"]
        try:
            if action == "create":
                raw = issue_token(user, options["name"], None, days=options["days"])
                token = tokens_of(user).get(digest=token_digest(raw))
                self.stdout.write(
                    f"Token {token.name!r} for {user.username}, expires {token.expires_at:%Y-%m-%d}."
                    " Copy it now; it is not shown again:"
                )
                self.stdout.write(raw)
            elif action == "list":
                self._list(user)
            else:
                try:
                    token = token_of(user, options["token_id"])
                except ObjectDoesNotExist:
                    raise CommandError(
                        f"{user.username} has no token {options['token_id']}."
                    ) from None
                revoke_token(token, None)
                self.stdout.write(f"Revoked {token}.")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None

    def _list(self, user: User) -> None:
        now = timezone.now()
        rows = list(tokens_of(user))
        if not rows:
            self.stdout.write(f"{user.username} has no tokens.")
        for token in rows:
            self.stdout.write(
                f"{token.pk:>5}  {token.prefix}…  {token.name:<24}"
                f"  created {_when(token.created_at)}  last used {_when(token.last_used_at)}"
                f"  expires {_when(token.expires_at)}  {_state(token, now)}"
            )


def _when(moment: Any) -> str:
    return "never" if moment is None else f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _state(token: ApiToken, now: Any) -> str:
    if token.revoked_at is not None:
        return f"revoked {_when(token.revoked_at)}"
    return "expired" if token.expires_at <= now else "live"
