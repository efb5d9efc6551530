"""Models of fieldwork."""
