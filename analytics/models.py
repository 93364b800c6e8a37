"""No models: the analytics schema is SQL views (sql/views.sql). The module exists so that Django
sends this app the migrate signals that recreate them (analytics.apps)."""
