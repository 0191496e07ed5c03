"""Who may run workshops. Participants have no account: their views check the signed device
cookie and the session state instead (see views_participant)."""

import rules

from zwk.communes.rules import leads_commune, works_in_commune

rules.add_perm("workshop.view_session", works_in_commune)
rules.add_perm("workshop.add_session", works_in_commune)
rules.add_perm("workshop.moderate_session", works_in_commune)
rules.add_perm("workshop.export_session", works_in_commune)
# Handing results to the Werkstattplan shapes the strategy: the leads decide.
rules.add_perm("workshop.handover_session", leads_commune)
