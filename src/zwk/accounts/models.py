from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in: programme office, consultant or municipal staff.

    Roles are not stored here: they come from memberships (per commune) and programme
    roles (per programme), so one person can hold different roles in different places.
    Workshop participants never get a User.
    """

    class Meta:
        verbose_name = _("Benutzer:in")
        verbose_name_plural = _("Benutzer:innen")
        ordering = ["last_name", "first_name", "username"]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def __str__(self) -> str:
        return self.display_name
