"""The `kunnskap` command and its subcommands."""

import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from kunnskap.accounts import policy
from kunnskap.accounts.models import ApiToken, Role, RoleAssignment, User
from kunnskap.followup.models import Adoption
from kunnskap.organisations.models import Cluster, Hub, Unit
from kunnskap.proposals.models import Proposal


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "hubs": Hub.objects.count(),
        "clusters": Cluster.objects.count(),
        "units": Unit.objects.count(),
        "needs": Proposal.objects.count(),
        "adoptions": Adoption.objects.count(),
    }


def test_demo_creates_the_cluster_and_one_user_per_role(db, settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())

    hub = Hub.objects.get(name="Kunnskapskommunen Helse Omsorg Vest")
    members = set(hub.cluster.municipalities.values_list("name", flat=True))
    assert members == {"Bergen", "Alver", "Bjørnafjorden", "Osterøy", "Vaksdal"}
    assert Unit.objects.filter(name="USHT Hordaland", municipality__name="Bergen").exists()
    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held == {role.value for role in Role}
    assert User.objects.get(email="admin@demo.example").is_superuser
    librarian = User.objects.get(email="bibliotekar@demo.example")
    assert librarian.check_password("kunnskap-demo")
    assert policy.can(librarian, policy.Permission.SCREEN, hub)
    # Six needs of the pilots and the research need a Kunnskapsbroen team submitted.
    assert Proposal.objects.count() == 7
    assert Proposal.objects.public().count() == 4


def test_demo_has_the_worked_follow_up_example(db, settings):
    from kunnskap.followup.models import Adoption, HtaDecision, Pilot

    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    decision = HtaDecision.objects.get()
    assert "nattilsyn" in decision.publication.title.lower()
    in_use = Adoption.objects.filter(publication=decision.publication)
    assert sorted(in_use.values_list("status", flat=True)) == ["evaluated", "in_use"]
    assert in_use.get(status="evaluated").evaluations.get().measures.count() == 2
    assert Pilot.objects.get().publications.get() == decision.publication


def test_demo_twice_changes_nothing(db, settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    before = counts()
    call_command("demo", stdout=io.StringIO())
    assert counts() == before


def test_demo_if_empty_leaves_a_database_with_users_alone(db, settings, otto):
    settings.DEBUG = True
    call_command("demo", "--if-empty", stdout=io.StringIO())
    assert counts()["users"] == 1


def test_demo_refuses_to_run_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo", stdout=io.StringIO())
    assert not User.objects.exists()


def test_user_create_with_roles(db, vest_hub):
    call_command(
        "user",
        "create",
        "ny@bergen.kommune.no",
        "--name",
        "Ny Person",
        "--municipality",
        "4601",
        "--role",
        "screener",
        "--role",
        "editor",
        "--hub",
        "KSF Vest",
        stdout=io.StringIO(),
    )
    user = User.objects.get(email="ny@bergen.kommune.no")
    assert user.municipality.name == "Bergen"
    assert set(user.role_assignments.values_list("role", flat=True)) == {"screener", "editor"}
    assert not user.has_usable_password()


def test_user_create_refuses_an_unknown_hub_or_municipality(db):
    with pytest.raises(CommandError, match="No hub"):
        call_command("user", "create", "a@b.no", "--role", "screener", "--hub", "Atlantis")
    with pytest.raises(CommandError, match="No municipality"):
        call_command("user", "create", "a@b.no", "--municipality", "9999")
    assert not User.objects.exists()


def test_user_create_refuses_a_duplicate_address(db, otto):
    with pytest.raises(CommandError):
        call_command("user", "create", otto.email, stdout=io.StringIO())


def test_user_grant(db, otto, vest_hub):
    call_command(
        "user", "grant", otto.email, "--role", "editor", "--hub", "KSF Vest", stdout=io.StringIO()
    )
    assert policy.can(otto, policy.Permission.PUBLISH, vest_hub)


def test_token_create_for_an_unknown_user_fails_clearly(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("token", "create", "nobody@example.no")
    assert not ApiToken.objects.exists()


def test_the_kunnskap_console_command_maps_names(db):
    result = subprocess.run(
        [sys.executable, "-m", "kunnskap", "load-organisations", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "municipality list" in result.stdout


def test_user_create_checks_a_password_from_standard_input(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError):
        call_command("user", "create", "kort@example.no", "--password-stdin")
    monkeypatch.setattr("sys.stdin", io.StringIO("et-langt-og-godt-passord\n"))
    call_command("user", "create", "lang@example.no", "--password-stdin", stdout=io.StringIO())
    assert User.objects.get(email="lang@example.no").check_password("et-langt-og-godt-passord")


@pytest.mark.slow
def test_static_files_collect_with_the_production_storage(tmp_path, settings):
    # Production hashes and compresses static files; a vendored file that refers to a missing
    # one (a source map, a font) would stop the deployment.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/designsystemet/designsystemet-web.*.js"))


def test_demo_holds_a_worked_mini_hta_with_every_question_answered(db, settings):
    from kunnskap.assessments.models import Assessment
    from kunnskap.assessments.selectors import document

    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    example = Assessment.objects.get()
    assert example.status == "published" and example.publication.kind == "mini_hta"
    sections = document(example.versions.get().content)
    unanswered = [q.label for s in sections for q in s.questions if not q.answered]
    assert unanswered == []
