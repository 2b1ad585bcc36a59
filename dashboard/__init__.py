"""The dashboard: a Dash app over the warehouse's published snapshot."""
