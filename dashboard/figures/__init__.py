"""Figure builders: pure functions from a query result to a ``go.Figure``, testable without a server."""
