"""Pages of tasks, one module per concern."""
