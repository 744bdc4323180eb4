"""`roadmap serve`: the live preview."""
