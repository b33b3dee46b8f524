from django.core.management.base import BaseCommand

from greenbuild.projects.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the demo Changzhou programme: organisations, a user for every role, ~20 projects."

    def handle(self, *args, **options):
        counts = seed_demo()
        from greenbuild.accounts.models import User
        from greenbuild.scoring.demo import seed_scores

        counts["scored"] = seed_scores(User.objects.get(username="bureau"))
        from greenbuild.plans.demo import seed_plans

        counts["plans"] = seed_plans(User.objects.get(username="bureau"))
        from greenbuild.conference.demo import seed_conference

        counts["meetings"] = seed_conference(User.objects.get(username="bureau"))
        from greenbuild.reviews.demo import seed_reviews

        counts["reviews"] = seed_reviews(User.objects.get(username="bureau"))
        from greenbuild.documents.demo import seed_documents

        counts["documents"] = seed_documents(User.objects.get(username="bureau"))
        from greenbuild.lifecycle.demo import seed_lifecycle

        counts["steps_signed"] = seed_lifecycle(User.objects.get(username="bureau"))
        from greenbuild.webhooks.demo import seed_webhooks

        counts["webhooks"] = seed_webhooks()
        self.stdout.write(
            "Demo programme ready: {organisations} organisations, {users} users, {projects_created} new projects, {scored} pilots scored.".format(
                **counts
            )
        )
        self.stdout.write("Every demo user's password is {!r} (see README).".format(DEMO_PASSWORD))
