"""``greenbuild tokens create USERNAME [--scope read|write] [--days N] [--name NAME] [--organisation ID]``
prints a new API token (shown once); ``tokens list [USERNAME]``; ``tokens revoke ID``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from greenbuild.accounts.models import Organisation, User
from greenbuild.api import services
from greenbuild.api.models import ApiToken


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="create a token and print it (it is shown once)")
        create.add_argument("username")
        create.add_argument("--scope", choices=["read", "write"], default="read")
        create.add_argument("--days", type=int, default=90, help="validity in days (1-366; default 90)")
        create.add_argument("--name", default="command line")
        create.add_argument("--organisation", type=int, help="bind the token to this organisation id")
        listing = sub.add_parser("list", help="list tokens")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke a token by id")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "create":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError("no user named {!r}".format(options["username"]))
            organisation = None
            if options["organisation"]:
                organisation = Organisation.objects.filter(pk=options["organisation"]).first()
                if organisation is None:
                    raise CommandError("no organisation {}".format(options["organisation"]))
            try:
                _token, raw = services.create_token(
                    actor=user,
                    user=user,
                    name=options["name"],
                    scope=options["scope"],
                    days=options["days"],
                    organisation=organisation,
                )
            except ValidationError as error:
                problems = "; ".join("{}: {}".format(k, " ".join(v)) for k, v in error.message_dict.items())
                raise CommandError(problems) from None
            self.stdout.write(raw)
        elif verb == "list":
            tokens = ApiToken.objects.select_related("user").order_by("pk")
            if options["username"]:
                tokens = tokens.filter(user__username=options["username"])
            for t in tokens:
                state = "active" if t.is_active else "inactive"
                self.stdout.write(
                    "{}\t{}\tgb_{}…\t{}\t{}\t{}".format(t.pk, t.user.username, t.prefix, t.scope, state, t.expires_at)
                )
        else:
            token = ApiToken.objects.filter(pk=options["id"]).select_related("user").first()
            if token is None:
                raise CommandError("no token {}".format(options["id"]))
            services.revoke_token(actor=token.user, token_id=token.pk)
            self.stdout.write("revoked {}".format(token.pk))
