"""The pieces of the shape tracer that need no torch: op names, records, and the silent-bug checks."""
