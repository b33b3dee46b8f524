# Plans: the revision a pass with revisions asks for (PlanRevision), the revision_submitted state.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0001_initial'),
        ('reviews', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='greenplan',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('in_review', 'In expert review'), ('clarification', 'Clarification requested'), ('passed', 'Passed'), ('passed_with_revisions', 'Passed with revisions'), ('revision_submitted', 'Revision submitted for verification'), ('revise', 'Revise and resubmit'), ('failed', 'Failed')], db_index=True, default='draft', max_length=24, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='historicalgreenplan',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('in_review', 'In expert review'), ('clarification', 'Clarification requested'), ('passed', 'Passed'), ('passed_with_revisions', 'Passed with revisions'), ('revision_submitted', 'Revision submitted for verification'), ('revise', 'Revise and resubmit'), ('failed', 'Failed')], db_index=True, default='draft', max_length=24, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='historicalplanversion',
            name='reason',
            field=models.CharField(choices=[('submission', 'Submission'), ('clarification', 'Answer to a clarification'), ('revision', 'Revision required by the review')], default='submission', max_length=16, verbose_name='reason'),
        ),
        migrations.AlterField(
            model_name='planversion',
            name='reason',
            field=models.CharField(choices=[('submission', 'Submission'), ('clarification', 'Answer to a clarification'), ('revision', 'Revision required by the review')], default='submission', max_length=16, verbose_name='reason'),
        ),
        migrations.CreateModel(
            name='HistoricalPlanRevision',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('requirements', models.JSONField(default=list, verbose_name='revision requirements')),
                ('deadline', models.DateField(verbose_name='revision deadline')),
                ('verifier', models.CharField(choices=[('leader', 'The panel leader'), ('bureau', 'The bureau')], default='leader', max_length=16, verbose_name='verified by')),
                ('status', models.CharField(choices=[('requested', "Waiting for the owner's revision"), ('submitted', 'Revision waiting for verification'), ('accepted', 'Revision verified')], db_index=True, default='requested', max_length=16, verbose_name='status')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='revision submitted at')),
                ('checks', models.JSONField(blank=True, default=list, verbose_name='requirements met')),
                ('verified_at', models.DateTimeField(blank=True, null=True, verbose_name='verified at')),
                ('refusals', models.PositiveSmallIntegerField(default=0, verbose_name='times refused')),
                ('last_refusal', models.TextField(blank=True, verbose_name='reasons of the last refusal')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.greenplan', verbose_name='plan')),
                ('review_round', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.reviewround', verbose_name='review round')),
                ('reviewed_version', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.planversion', verbose_name='reviewed version')),
                ('submitted_version', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.planversion', verbose_name='revised version')),
                ('verified_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='verifier')),
            ],
            options={
                'verbose_name': 'historical plan revision',
                'verbose_name_plural': 'historical plan revisions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='PlanRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requirements', models.JSONField(default=list, verbose_name='revision requirements')),
                ('deadline', models.DateField(verbose_name='revision deadline')),
                ('verifier', models.CharField(choices=[('leader', 'The panel leader'), ('bureau', 'The bureau')], default='leader', max_length=16, verbose_name='verified by')),
                ('status', models.CharField(choices=[('requested', "Waiting for the owner's revision"), ('submitted', 'Revision waiting for verification'), ('accepted', 'Revision verified')], db_index=True, default='requested', max_length=16, verbose_name='status')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='revision submitted at')),
                ('checks', models.JSONField(blank=True, default=list, verbose_name='requirements met')),
                ('verified_at', models.DateTimeField(blank=True, null=True, verbose_name='verified at')),
                ('refusals', models.PositiveSmallIntegerField(default=0, verbose_name='times refused')),
                ('last_refusal', models.TextField(blank=True, verbose_name='reasons of the last refusal')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='plans.greenplan', verbose_name='plan')),
                ('review_round', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='plan_revision', to='reviews.reviewround', verbose_name='review round')),
                ('reviewed_version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='plans.planversion', verbose_name='reviewed version')),
                ('submitted_version', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='plans.planversion', verbose_name='revised version')),
                ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='verifier')),
            ],
            options={
                'verbose_name': 'plan revision',
                'verbose_name_plural': 'plan revisions',
                'ordering': ['plan', '-created_at', '-pk'],
            },
        ),
    ]
