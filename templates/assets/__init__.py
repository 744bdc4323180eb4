"""Static assets of the default theme."""
