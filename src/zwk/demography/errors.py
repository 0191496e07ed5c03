"""Exception types of the demography library.

Every message is German because it reaches municipal users unchanged (CLI, upload form).
"""

from __future__ import annotations


class DemographyError(ValueError):
    """Base class of every error the library raises on purpose."""


class DemographyImportError(DemographyError):
    """A file could not be read. Carries the file, the 1-based line and the field at fault."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(f"Datei „{self.file}“")
        if self.line is not None:
            where.append(f"Zeile {self.line}")
        if self.field:
            where.append(f"Feld „{self.field}“")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class AssumptionError(DemographyError):
    """A projection assumption is impossible or implausible (German message)."""


class ProjectionInputError(DemographyError):
    """The data given to a projection does not allow it (e.g. no single-year base population)."""
