"""Models for courtyard.projects. See ARCHITECTURE.md; this app's issue builds them."""
