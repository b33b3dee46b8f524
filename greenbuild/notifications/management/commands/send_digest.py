from django.core.management.base import BaseCommand

from greenbuild.notifications.services import send_daily_digests


class Command(BaseCommand):
    help = "E-mail every person who wants it their daily digest of notifications and to-do items."

    def handle(self, *args: object, **options: object) -> None:
        sent = send_daily_digests()
        self.stdout.write("{} digest e-mail(s) sent".format(sent))
