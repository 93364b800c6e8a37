"""Pages of accounts, one module per concern."""
