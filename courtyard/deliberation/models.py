"""Models for courtyard.deliberation. See ARCHITECTURE.md; this app's issue builds them."""
