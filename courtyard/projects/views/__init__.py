"""Views of the projects app, split by subject."""
