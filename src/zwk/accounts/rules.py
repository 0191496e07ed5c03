"""Who may manage the people of a programme: its programme office (unlock a login, export or
delete a person's data). Everyone manages their own account on the account page."""

from __future__ import annotations

import rules

from zwk.communes.rules import is_office

rules.add_perm("accounts.manage_people", is_office)
rules.add_perm("accounts.manage_own_account", rules.is_authenticated)
