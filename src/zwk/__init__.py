"""ZWK: Zukunftswerkstatt Kommunen, a demography strategy platform for German municipalities."""

__version__ = "0.1.0"
