"""Who may do what with the Kommunalprofil. Predicates come from zwk.communes.rules."""

import rules

from zwk.communes.rules import is_coordinator, is_office, works_in_commune

rules.add_perm("profile.view_profile", works_in_commune)
rules.add_perm("profile.change_profile", works_in_commune)   # texts, inventory, interviews, SWOT
rules.add_perm("profile.manage_data", works_in_commune)      # upload, replace, remove data sets
rules.add_perm("profile.add_scenario", works_in_commune)
rules.add_perm("profile.comment_profile", works_in_commune)
# The coordination owns the profile; the office may act for it.
rules.add_perm("profile.approve_profile", is_coordinator | is_office)
rules.add_perm("profile.view_synopsis", is_office)           # object: the programme
