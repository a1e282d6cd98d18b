"""Models for courtyard.servicedesk. See ARCHITECTURE.md; this app's issue builds them."""
