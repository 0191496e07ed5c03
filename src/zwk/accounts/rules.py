"""Who may manage the people of a programme: its programme office (unlock a login, export or
delete a person's data). Everyone manages their own account on the account page."""

from __future__ import annotations

import rules

from zwk.communes.rules import is_office

rules.add_perm("accounts.manage_people", is_office)  # type: ignore[no-untyped-call]
rules.add_perm("accounts.manage_own_account",  # type: ignore[no-untyped-call]
               rules.is_authenticated)
