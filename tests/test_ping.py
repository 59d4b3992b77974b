"""/ping answers without the database: the liveness probe, and the bench's minimal view."""


def test_ping_answers_without_touching_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping")
    assert (response.status_code, response.content) == (200, b"ok")
