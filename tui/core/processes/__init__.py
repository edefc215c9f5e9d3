"""Child processes: how one ended, in words, and ending with the parent."""
