"""The REPL's pure logic: history, indentation, namespace records, output limits, notes."""
