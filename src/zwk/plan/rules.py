"""Who may do what with the Werkstattplan. Predicates come from zwk.communes.rules."""

import rules

from zwk.communes.rules import is_coordinator, is_office, works_in_commune

rules.add_perm("plan.view_plan", works_in_commune)
rules.add_perm("plan.change_plan", works_in_commune)
rules.add_perm("plan.adopt_plan", is_coordinator | is_office)
rules.add_perm("plan.publish_plan", is_coordinator | is_office)
# on a Programme: its measure statuses (names, default progress, order, retiring)
rules.add_perm("plan.manage_statuses", is_office)
