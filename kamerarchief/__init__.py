"""Kamerarchief: build a static archive of Dutch parliamentary papers."""
