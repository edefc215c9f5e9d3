"""A lesson pack with one step of each kind, fixed here so that the step snapshots change only when
the screens do, not when the course's own lessons are edited."""

ORDER = ["every_kind"]
