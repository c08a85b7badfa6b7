import pytest


@pytest.mark.django_db
def test_home_lists_both_seasons(client, archive):
    response = client.get("/")
    assert response.status_code == 200
    assert "2011–12 ISU Short Track Speed Skating World Cup" in response.text
    assert "2012–13 ISU Short Track Speed Skating World Cup" in response.text
