"""The REST API (`/api/v1/`): read access to waves, results, estimates and exports, and the
operator's automation (waves from files, invitations), with personal tokens. docs/api.md."""
