"""The audit log: who did what to which wave, and when (operator actions, erasures, retention)."""
