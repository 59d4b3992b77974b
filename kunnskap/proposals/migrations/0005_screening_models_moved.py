"""The screening models moved to `kunnskap.screening`: forgotten here, in the state only.

Their tables stay as they are (the models name them with `db_table`); `screening/0001_initial`
takes them over without touching the database.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("proposals", "0004_list_generation")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalliteraturehit',
                    name='added_by',
                ),
                migrations.RemoveField(
                    model_name='historicalliteraturehit',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalliteraturehit',
                    name='proposal',
                ),
                migrations.RemoveField(
                    model_name='historicalliteraturesearch',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalliteraturesearch',
                    name='proposal',
                ),
                migrations.RemoveField(
                    model_name='historicalliteraturesearch',
                    name='searched_by',
                ),
                migrations.RemoveField(
                    model_name='historicalliteraturesearch',
                    name='source',
                ),
                migrations.RemoveField(
                    model_name='historicalresearchgap',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalresearchgap',
                    name='proposal',
                ),
                migrations.RemoveField(
                    model_name='historicalscreeningvote',
                    name='duplicate_of',
                ),
                migrations.RemoveField(
                    model_name='historicalscreeningvote',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalscreeningvote',
                    name='proposal',
                ),
                migrations.RemoveField(
                    model_name='historicalscreeningvote',
                    name='screener',
                ),
                migrations.RemoveField(
                    model_name='literaturehit',
                    name='added_by',
                ),
                migrations.RemoveField(
                    model_name='literaturehit',
                    name='proposal',
                ),
                migrations.RemoveField(
                    model_name='literaturesearch',
                    name='proposal',
                ),
                migrations.RemoveField(
                    model_name='literaturesearch',
                    name='searched_by',
                ),
                migrations.RemoveField(
                    model_name='literaturesearch',
                    name='source',
                ),
                migrations.RemoveField(
                    model_name='researchgap',
                    name='proposal',
                ),
                migrations.RemoveConstraint(
                    model_name='screeningvote',
                    name='one_vote_per_screener',
                ),
                migrations.DeleteModel(
                    name='HistoricalLiteratureHit',
                ),
                migrations.DeleteModel(
                    name='HistoricalLiteratureSearch',
                ),
                migrations.DeleteModel(
                    name='HistoricalResearchGap',
                ),
                migrations.DeleteModel(
                    name='HistoricalScreeningVote',
                ),
                migrations.DeleteModel(
                    name='LiteratureHit',
                ),
                migrations.DeleteModel(
                    name='LiteratureSearch',
                ),
                migrations.DeleteModel(
                    name='LiteratureSource',
                ),
                migrations.DeleteModel(
                    name='ResearchGap',
                ),
                migrations.DeleteModel(
                    name='ScreeningVote',
                ),
            ],
            database_operations=[],
        )
    ]
