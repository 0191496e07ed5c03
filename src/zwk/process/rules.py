"""Who may do what in the five stages. Predicates come from zwk.communes.rules."""

import rules

from zwk.communes.rules import is_office, leads_commune, works_in_commune

rules.add_perm("process.view_stage", works_in_commune)
rules.add_perm("process.change_stage", works_in_commune)      # checklist, dates, block
rules.add_perm("process.add_meeting", works_in_commune)
rules.add_perm("process.change_meeting", works_in_commune)
rules.add_perm("process.add_document", works_in_commune)
rules.add_perm("process.view_document", works_in_commune)
rules.add_perm("process.add_decision", works_in_commune)
rules.add_perm("process.complete_stage", leads_commune)       # the team prepares, leads sign off
rules.add_perm("process.reopen_stage", leads_commune)
rules.add_perm("process.override_gate", is_office)
rules.add_perm("history.view_timeline", works_in_commune)
