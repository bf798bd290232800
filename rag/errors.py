class UserError(Exception):
    """A mistake the user can fix (bad path, bad query, wrong config). The CLI prints it as one line."""
