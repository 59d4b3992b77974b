"""The policy module: roles are held per hub; administrators may do everything."""

from kunnskap.accounts import policy, services
from kunnskap.accounts.models import Role
from kunnskap.accounts.policy import Permission


def test_a_screener_screens_in_her_own_hub_only(berit, hov_hub, vest_hub):
    assert policy.can(berit, Permission.SCREEN, hov_hub)
    assert not policy.can(berit, Permission.SCREEN, vest_hub)
    assert policy.can(berit, Permission.SCREEN)  # in some hub: the menu may show screening
    assert not policy.can(berit, Permission.SCORE, hov_hub)


def test_a_screener_of_ksf_vest_is_not_a_screener_of_the_cluster(vilde, hov_hub, vest_hub):
    assert policy.can(vilde, Permission.SCREEN, vest_hub)
    assert not policy.can(vilde, Permission.SCREEN, hov_hub)


def test_an_object_is_judged_by_its_hub(berit, hov_hub, vest_hub):
    class Proposal:
        hub_id = hov_hub.pk

    class Elsewhere:
        hub_id = vest_hub.pk

    class Nowhere:
        hub_id = None

    assert policy.can(berit, Permission.VIEW_SUBMITTER, Proposal())
    assert not policy.can(berit, Permission.VIEW_SUBMITTER, Elsewhere())
    assert not policy.can(berit, Permission.VIEW_SUBMITTER, Nowhere())


def test_committee_and_steering_hold_their_own_permissions(ulf, sigrid, hov_hub):
    assert policy.can(ulf, Permission.SCORE, hov_hub)
    assert not policy.can(ulf, Permission.DECIDE, hov_hub)
    assert policy.can(sigrid, Permission.DECIDE, hov_hub)
    assert not policy.can(sigrid, Permission.SCREEN, hov_hub)


def test_an_administrator_may_do_everything_everywhere(ada, hov_hub, vest_hub):
    for permission in Permission:
        assert policy.can(ada, permission, vest_hub)
    assert set(policy.hubs_where(ada, Permission.SCREEN)) >= {hov_hub, vest_hub}


def test_an_outsider_and_an_anonymous_visitor_may_do_nothing(otto, hov_hub):
    from django.contrib.auth.models import AnonymousUser

    for user in (otto, AnonymousUser()):
        assert not any(policy.can(user, permission, hov_hub) for permission in Permission)
        assert not policy.can(user, Permission.SCREEN)


def test_a_deactivated_user_loses_every_role(berit, hov_hub):
    berit.is_active = False
    berit.save()
    policy.forget_roles(berit)
    assert not policy.can(berit, Permission.SCREEN, hov_hub)


def test_roles_in_an_inactive_hub_do_not_count(berit, hov_hub):
    hov_hub.is_active = False
    hov_hub.save()
    policy.forget_roles(berit)
    assert not policy.can(berit, Permission.SCREEN, hov_hub)


def test_granting_and_revoking_take_effect_at_once(otto, vest_hub):
    services.role_grant(user=otto, role=Role.EDITOR, hub=vest_hub)
    assert policy.can(otto, Permission.PUBLISH, vest_hub)
    services.role_revoke(user=otto, role=Role.EDITOR, hub=vest_hub)
    assert not policy.can(otto, Permission.PUBLISH, vest_hub)


def test_roles_are_read_once_per_user(berit, hov_hub, django_assert_num_queries):
    policy.forget_roles(berit)
    with django_assert_num_queries(1):
        for permission in Permission:
            policy.can(berit, permission, hov_hub)


def test_hubs_where_lists_the_hubs_of_the_permission(berit, vilde, hov_hub, vest_hub):
    assert list(policy.hubs_where(berit, Permission.SCREEN)) == [hov_hub]
    assert list(policy.hubs_where(berit, Permission.SCORE)) == []


def test_role_changes_are_kept_in_history(berit, hov_hub):
    assignment = berit.role_assignments.get(hub=hov_hub)
    services.role_revoke(user=berit, role=Role.SCREENER, hub=hov_hub)
    history = assignment.history.model.objects.filter(id=assignment.pk).order_by("history_date")
    assert [row.history_type for row in history] == ["+", "-"]
