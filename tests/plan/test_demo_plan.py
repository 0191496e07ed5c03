"""The demo shows a Werkstattplan at work: Talheim (in its Zwischenbilanz) has goals with
targets, measures over time, progress, planned milestones and an adopted baseline."""

from zwk.core import demo
from zwk.plan import monitoring
from zwk.plan.models import Measure


def test_the_demo_commune_talheim_has_a_plan_to_monitor(db):
    demo.load()
    measures = Measure.objects.filter(commune__name="Talheim am Mustertal (Demo)")
    talheim = measures.first().commune
    assert measures.count() == 6 and all(m.start and m.end for m in measures)
    version = talheim.plan_versions.get()
    assert version.resolution == "GR 17/2025 (Demo)" and len(version.snapshot["measures"]) == 6
    rooms = measures.get(title="Praxisräume im alten Rathaus herrichten")
    assert rooms.progress == 60
    rows, points = monitoring.timeline_rows(talheim)
    assert len(rows) == 6
    assert sorted((p["title"], bool(p.get("planned")), bool(p.get("overdue"))) for p in points
                  if p.get("planned")) == [("Praxis eröffnet", True, False),
                                           ("Satzung im Gemeinderat", True, True)]
