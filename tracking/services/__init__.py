"""Writes of tracking, one module per concern: ``alerts`` (the alert lifecycle and who hears
about it), ``thresholds``, ``digest`` (the daily digest). Import the module you need."""
