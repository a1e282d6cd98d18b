"""Models for courtyard.participation. See ARCHITECTURE.md; this app's issue builds them."""
