"""The records of this room."""
