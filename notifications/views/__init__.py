"""Pages of the notifications layer, one module per concern."""
