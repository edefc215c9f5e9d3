"""Benchmarks behind ``tensordojo bench`` and ``benchmarks/``: first paint, and the REPL's latencies."""
