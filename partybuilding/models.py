"""Models of partybuilding."""
