"""Models for courtyard.funds. See ARCHITECTURE.md; this app's issue builds them."""
