"""`kunnskap import-proposals`: all rows or none, each bad row named by its line."""

import io

import pytest
from django.core.management import CommandError, call_command

from kunnskap.proposals.models import Proposal

HEADER = "id,title,question,municipality,unit,service_area,theme,status,submitted\n"


def write(tmp_path, rows: str):
    path = tmp_path / "forslag.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_a_good_file_is_imported_with_dates_and_statuses(tmp_path, hov_hub, usht):
    path = write(
        tmp_path,
        "KB2019-001,Uro ved demens,Hjelper sansehage?,Bergen,USHT Hordaland,sykehjem,"
        "demens-behandling,commissioned,2019-09-20\n"
        ",Velferdsteknologi,Gevinster?,4630,,eldre,Velferdsteknologi,not_recommended,2019-09-26\n",
    )
    call_command("import_proposals", str(path), stdout=io.StringIO())
    first, second = Proposal.objects.order_by("public_id")
    assert first.public_id == "KB2019-001"
    assert first.unit == usht
    assert first.status == "commissioned"
    assert first.submitted_at.date().isoformat() == "2019-09-20"
    assert first.is_public
    assert second.public_id == "KB2019-002"
    assert second.theme.key == "velferdsteknologi"
    assert first.events.get().at.date().isoformat() == "2019-09-20"


def test_bad_rows_are_listed_by_line_and_nothing_is_imported(tmp_path, hov_hub):
    path = write(
        tmp_path,
        "KB2019-001,God rad,Spørsmål?,Bergen,,,,eligible,2019-09-20\n"
        ",Mangler spørsmål,,Bergen,,,,eligible,2019-09-20\n"
        ",Ukjent kommune,Spørsmål?,Atlantis,,,,eligible,2019-09-20\n"
        ",Feil dato,Spørsmål?,Bergen,,,,eligible,20.09.2019\n"
        ",Feil status,Spørsmål?,Bergen,,astrologi,,vedtatt,2019-09-20\n",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_proposals", str(path))
    message = str(error.value)
    for line in ("line 3", "line 4", "line 5", "line 6"):
        assert line in message
    assert "line 2" not in message
    assert not Proposal.objects.exists()


def test_an_id_used_already_is_refused(tmp_path, hov_hub):
    path = write(tmp_path, "KB2019-001,A,B?,Bergen,,,,eligible,2019-09-20\n")
    call_command("import_proposals", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="used already"):
        call_command("import_proposals", str(path))
    assert Proposal.objects.count() == 1


def test_missing_columns_are_explained(tmp_path, db):
    path = tmp_path / "feil.csv"
    path.write_text("tittel,spørsmål\nA,B\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Missing columns"):
        call_command("import_proposals", str(path))
