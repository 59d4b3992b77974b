"""The round fixtures (tor, eligible, the_round, committee) live in tests/conftest.py."""
