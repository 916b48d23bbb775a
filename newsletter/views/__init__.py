"""Views of the newsletter app, one module per area."""
