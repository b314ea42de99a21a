"""Messages to people and staff, and the consent to send them (issue 18)."""
