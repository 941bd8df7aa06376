"""Backup tool simulator for the extended crash corpus."""
