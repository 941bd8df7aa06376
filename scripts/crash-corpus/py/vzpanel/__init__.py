"""vzpanel: a tiny container-panel CLI with deliberate bugs (crash corpus)."""
__version__ = "0.3.1"
