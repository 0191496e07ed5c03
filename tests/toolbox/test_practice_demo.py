"""The demo shows the exchange: one practice shared from a demo commune's measure and
approved, and one adoption of it into another demo commune's Werkstattplan."""

from zwk.core import demo
from zwk.toolbox.models import Adoption, Tool


def test_the_demo_has_a_shared_practice_and_its_adoption_into_a_plan(db):
    demo.load()
    practice = Tool.objects.get(title="Mitfahrbänke in allen Ortsteilen")
    assert practice.status == "published" and practice.type == "practice"
    assert practice.source_measure.commune.name == "Talheim am Mustertal (Demo)"
    adoption = Adoption.objects.get(tool=practice)
    assert adoption.commune.name == "Neustadt am Beispielsee (Demo)"
    assert adoption.measure.commune == adoption.commune
    assert adoption.measure.goal.action_field.name == "Mobilität & Erreichbarkeit"
