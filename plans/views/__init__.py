"""Pages of plans, one module per concern."""
