import time

from django.core.management.base import BaseCommand

from greenbuild.projects.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the demo Changzhou programme: organisations, a user for every role, ~20 projects."

    def handle(self, *args, **options):
        from greenbuild.accounts.models import User
        from greenbuild.bulletins.demo import seed_bulletins
        from greenbuild.completion.demo import seed_completion
        from greenbuild.conference.demo import seed_conference
        from greenbuild.documents.demo import seed_documents
        from greenbuild.incentives.demo import seed_incentives
        from greenbuild.inspections.demo import seed_inspections
        from greenbuild.lifecycle.demo import seed_lifecycle
        from greenbuild.plans.demo import seed_plans
        from greenbuild.publicity.demo import seed_publicity
        from greenbuild.reviews.demo import seed_reviews
        from greenbuild.scoring.demo import seed_scores
        from greenbuild.summaries.demo import seed_summaries
        from greenbuild.supervision.demo import seed_supervision
        from greenbuild.webhooks.demo import seed_webhooks

        def bureau():
            return User.objects.get(username="bureau")

        # Each step prints its name before it starts and its time when done (a newcomer sees progress).
        steps = [
            ("programmes, organisations, users and projects", None, seed_demo),
            ("scorecards and score runs", "scored", lambda: seed_scores(bureau())),
            ("green construction plans", "plans", lambda: seed_plans(bureau())),
            ("joint-conference meetings", "meetings", lambda: seed_conference(bureau())),
            ("expert reviews", "reviews", lambda: seed_reviews(bureau())),
            ("issued documents", "documents", lambda: seed_documents(bureau())),
            ("lifecycle steps and baselines", "steps_signed", lambda: seed_lifecycle(bureau())),
            ("inspections, findings and rectification orders", "findings", lambda: seed_inspections(bureau())),
            ("inspection plans, random draws and evaluations", "draws", lambda: seed_supervision(bureau())),
            ("webhook subscriptions", "webhooks", seed_webhooks),
            ("completion evaluation, costs and lessons", "completions", lambda: seed_completion(bureau())),
            ("periodic bulletins", "bulletins", lambda: seed_bulletins(bureau())),
            ("public notices and public messages", "publicity", lambda: seed_publicity(bureau())),
            ("credit bonuses, escrow and training", "bonus_records", lambda: seed_incentives(bureau())),
            ("programme summary and next guideline edition", "summaries", lambda: seed_summaries(bureau())),
        ]
        counts = {}
        started = time.monotonic()
        for number, (label, key, step) in enumerate(steps, start=1):
            if options["verbosity"] >= 1:
                self.stdout.write("seed_demo [{}/{}] {} …".format(number, len(steps), label), ending="")
                self.stdout.flush()
            step_started = time.monotonic()
            result = step()
            if key is None:
                counts.update(result)
            else:
                counts[key] = result
            if options["verbosity"] >= 1:
                self.stdout.write(" {:.0f} s".format(time.monotonic() - step_started))
        self.stdout.write(
            "Demo programme ready in {seconds:.0f} s: {organisations} organisations, {users} users, "
            "{projects_created} new projects, {scored} pilots scored.".format(
                seconds=time.monotonic() - started, **counts
            )
        )
        self.stdout.write("Every demo user's password is {!r} (see README).".format(DEMO_PASSWORD))
