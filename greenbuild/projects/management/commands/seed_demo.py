from django.core.management.base import BaseCommand

from greenbuild.projects.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the demo Changzhou programme: organisations, a user for every role, ~20 projects."

    def handle(self, *args, **options):
        counts = seed_demo()
        from greenbuild.accounts.models import User
        from greenbuild.scoring.demo import seed_scores

        counts["scored"] = seed_scores(User.objects.get(username="bureau"))
        self.stdout.write(
            "Demo programme ready: {organisations} organisations, {users} users, {projects_created} new projects, {scored} pilots scored.".format(
                **counts
            )
        )
        self.stdout.write("Every demo user's password is {!r} (see README).".format(DEMO_PASSWORD))
