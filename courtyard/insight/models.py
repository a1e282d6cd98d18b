"""Models for courtyard.insight. See ARCHITECTURE.md; this app's issue builds them."""
