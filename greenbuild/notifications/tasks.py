"""The notifications app's daily entry: the digest e-mail (run by ``greenbuild worker`` once a day,
or by ``greenbuild run_daily`` from cron)."""

from greenbuild.jobs.registry import daily
from greenbuild.notifications.services import send_daily_digests


@daily("notifications.daily_digest")
def daily_digest() -> int:
    return send_daily_digests()
