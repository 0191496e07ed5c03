"""Who may do what with the Werkstattplan. Predicates come from zwk.communes.rules."""

import rules

from zwk.communes.rules import is_coordinator, is_office, leads_commune, works_in_commune

rules.add_perm("plan.view_plan", works_in_commune)
rules.add_perm("plan.change_plan", works_in_commune)
# The coordinator, the assigned consultant and the office record the adoption (the council
# adopts; whoever leads the process enters the date and resolution and freezes the version).
rules.add_perm("plan.adopt_plan", leads_commune)
rules.add_perm("plan.publish_plan", is_coordinator | is_office)
# on a Programme: its measure statuses (names, default progress, order, retiring)
rules.add_perm("plan.manage_statuses", is_office)
