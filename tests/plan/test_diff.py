from zwk.plan.diff import diff_plans

OLD = {"goals": [{"id": 1, "title": "Wohnen", "action_field": "Wohnen", "parent": None}],
       "measures": [{"id": 10, "goal": 1, "title": "Café", "lead": "Amt 1", "status": "geplant",
                     "dependencies": [11, 12]},
                    {"id": 11, "goal": 1, "title": "Bus", "lead": ""}]}


def test_identical_plans_have_no_difference():
    assert diff_plans(OLD, OLD).is_empty


def test_added_removed_changed_field_by_field():
    new = {"goals": OLD["goals"] + [{"id": 2, "title": "Pflege", "action_field": "Pflege"}],
           "measures": [{"id": 10, "goal": 1, "title": "Café", "lead": "Amt 2",
                         "status": "in Umsetzung", "dependencies": [12, 11]},
                        {"id": 12, "goal": 2, "title": "Nachbarschaftshilfe"}]}
    d = diff_plans(OLD, new)
    assert [(i.kind, i.id) for i in d.added] == [("goal", 2), ("measure", 12)]
    assert [(i.kind, i.id) for i in d.removed] == [("measure", 11)]
    assert len(d.changed) == 1
    changes = {c.field: (c.old, c.new) for c in d.changed[0].changes}
    assert changes == {"lead": ("Amt 1", "Amt 2"), "status": ("geplant", "in Umsetzung")}


def test_empty_string_and_missing_are_equal():
    a = {"goals": [{"id": 1, "title": "A", "description": ""}]}
    b = {"goals": [{"id": 1, "title": "A"}]}
    assert diff_plans(a, b).is_empty
