"""The screening models, taken over from `proposals` with their tables (no data moves).

The state is created here and forgotten in `proposals/0005_screening_models_moved`; the tables
keep their `proposals_` names. The content types follow, so admin permissions and the admin's
log keep pointing at the same models.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MODELS = [
    "literaturesource",
    "literaturesearch",
    "literaturehit",
    "researchgap",
    "screeningvote",
    "historicalliteraturesearch",
    "historicalliteraturehit",
    "historicalresearchgap",
    "historicalscreeningvote",
]


def move_content_types(old: str, new: str):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        taken = set(
            ContentType.objects.filter(app_label=new, model__in=MODELS).values_list(
                "model", flat=True
            )
        )
        ContentType.objects.filter(app_label=old, model__in=set(MODELS) - taken).update(
            app_label=new
        )

    return move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("proposals", "0005_screening_models_moved"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LiteratureSource',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                        ('url', models.URLField(blank=True, verbose_name='address')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                    ],
                    options={
                        'verbose_name': 'literature source',
                        'verbose_name_plural': 'literature sources',
                        'db_table': 'proposals_literaturesource',
                        'ordering': ['position', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalLiteratureHit',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('title', models.CharField(max_length=300, verbose_name='title')),
                        ('url', models.URLField(blank=True, max_length=500, verbose_name='link')),
                        ('kind', models.CharField(choices=[('short_summary', 'Short summary (Kort oppsummert)'), ('research_commentary', 'Research commentary'), ('mini_hta', 'Mini health technology assessment'), ('systematic_review', 'Systematic review'), ('overview_of_reviews', 'Overview of systematic reviews'), ('health_technology_assessment', 'Health technology assessment'), ('rapid_review', 'Rapid review'), ('other', 'Other')], default='other', max_length=40, verbose_name='kind')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='what it answers')),
                        ('added_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('added_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('proposal', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='proposals.proposal')),
                    ],
                    options={
                        'verbose_name': 'historical literature hit',
                        'verbose_name_plural': 'historical literature hits',
                        'db_table': 'proposals_historicalliteraturehit',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalResearchGap',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('taken_up', 'Taken up'), ('under_way', 'Research under way'), ('answered', 'Answered')], default='open', max_length=12, verbose_name='status')),
                        ('description', models.TextField(validators=[django.core.validators.MaxLengthValidator(4000)], verbose_name='what is missing')),
                        ('contact', models.CharField(help_text="Who researchers and students contact: a secretariat's address, not a submitter's.", max_length=200, verbose_name='contact')),
                        ('links', models.TextField(blank=True, help_text='Links to theses, projects or publications.', verbose_name='resulting work')),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('proposal', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='proposals.proposal')),
                    ],
                    options={
                        'verbose_name': 'historical research gap',
                        'verbose_name_plural': 'historical research gaps',
                        'db_table': 'proposals_historicalresearchgap',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalScreeningVote',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('outcome', models.CharField(choices=[('submitted', 'Received'), ('screening', 'Being screened'), ('needs_clarification', 'Question to the submitter'), ('answered', 'Answered by existing knowledge'), ('partly_answered', 'Partly answered by existing knowledge'), ('duplicate', 'Merged with a similar need'), ('out_of_scope', 'Outside the scope'), ('eligible', 'Ready for prioritisation'), ('research_gap', 'Research gap'), ('in_round', 'In a prioritisation round'), ('recommended', 'Recommended by the committee'), ('not_recommended', 'Not recommended'), ('commissioned', 'Ordered'), ('not_commissioned', 'Not ordered'), ('deferred', 'Deferred'), ('in_production', 'In production'), ('delivered', 'Delivered'), ('published', 'Published')], max_length=24, verbose_name='outcome')),
                        ('note', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(4000)], verbose_name='message')),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('duplicate_of', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='proposals.proposal')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('proposal', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='proposals.proposal')),
                        ('screener', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical screening vote',
                        'verbose_name_plural': 'historical screening votes',
                        'db_table': 'proposals_historicalscreeningvote',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='LiteratureHit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=300, verbose_name='title')),
                        ('url', models.URLField(blank=True, max_length=500, verbose_name='link')),
                        ('kind', models.CharField(choices=[('short_summary', 'Short summary (Kort oppsummert)'), ('research_commentary', 'Research commentary'), ('mini_hta', 'Mini health technology assessment'), ('systematic_review', 'Systematic review'), ('overview_of_reviews', 'Overview of systematic reviews'), ('health_technology_assessment', 'Health technology assessment'), ('rapid_review', 'Rapid review'), ('other', 'Other')], default='other', max_length=40, verbose_name='kind')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='what it answers')),
                        ('added_at', models.DateTimeField(auto_now_add=True)),
                        ('added_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='hits', to='proposals.proposal')),
                    ],
                    options={
                        'verbose_name': 'literature hit',
                        'verbose_name_plural': 'literature hits',
                        'db_table': 'proposals_literaturehit',
                        'ordering': ['added_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='LiteratureSearch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('query', models.TextField(validators=[django.core.validators.MaxLengthValidator(4000)], verbose_name='search string')),
                        ('searched_on', models.DateField(verbose_name='searched on')),
                        ('results', models.PositiveIntegerField(blank=True, null=True, verbose_name='number of results')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='literature_searches', to='proposals.proposal')),
                        ('searched_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='screening.literaturesource', verbose_name='source')),
                    ],
                    options={
                        'verbose_name': 'literature search',
                        'verbose_name_plural': 'literature searches',
                        'db_table': 'proposals_literaturesearch',
                        'ordering': ['searched_on', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalLiteratureSearch',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('query', models.TextField(validators=[django.core.validators.MaxLengthValidator(4000)], verbose_name='search string')),
                        ('searched_on', models.DateField(verbose_name='searched on')),
                        ('results', models.PositiveIntegerField(blank=True, null=True, verbose_name='number of results')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('proposal', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='proposals.proposal')),
                        ('searched_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('source', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='screening.literaturesource', verbose_name='source')),
                    ],
                    options={
                        'verbose_name': 'historical literature search',
                        'verbose_name_plural': 'historical literature searches',
                        'db_table': 'proposals_historicalliteraturesearch',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ResearchGap',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('taken_up', 'Taken up'), ('under_way', 'Research under way'), ('answered', 'Answered')], default='open', max_length=12, verbose_name='status')),
                        ('description', models.TextField(validators=[django.core.validators.MaxLengthValidator(4000)], verbose_name='what is missing')),
                        ('contact', models.CharField(help_text="Who researchers and students contact: a secretariat's address, not a submitter's.", max_length=200, verbose_name='contact')),
                        ('links', models.TextField(blank=True, help_text='Links to theses, projects or publications.', verbose_name='resulting work')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('proposal', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='research_gap', to='proposals.proposal')),
                    ],
                    options={
                        'verbose_name': 'research gap',
                        'verbose_name_plural': 'research gaps',
                        'db_table': 'proposals_researchgap',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ScreeningVote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('outcome', models.CharField(choices=[('submitted', 'Received'), ('screening', 'Being screened'), ('needs_clarification', 'Question to the submitter'), ('answered', 'Answered by existing knowledge'), ('partly_answered', 'Partly answered by existing knowledge'), ('duplicate', 'Merged with a similar need'), ('out_of_scope', 'Outside the scope'), ('eligible', 'Ready for prioritisation'), ('research_gap', 'Research gap'), ('in_round', 'In a prioritisation round'), ('recommended', 'Recommended by the committee'), ('not_recommended', 'Not recommended'), ('commissioned', 'Ordered'), ('not_commissioned', 'Not ordered'), ('deferred', 'Deferred'), ('in_production', 'In production'), ('delivered', 'Delivered'), ('published', 'Published')], max_length=24, verbose_name='outcome')),
                        ('note', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(4000)], verbose_name='message')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('duplicate_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='proposals.proposal')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='proposals.proposal')),
                        ('screener', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='screening_votes', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'screening vote',
                        'verbose_name_plural': 'screening votes',
                        'db_table': 'proposals_screeningvote',
                        'ordering': ['created_at', 'pk'],
                        'constraints': [models.UniqueConstraint(fields=('proposal', 'screener'), name='one_vote_per_screener')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            move_content_types("proposals", "screening"), move_content_types("screening", "proposals")
        ),
    ]
