"""fk_system: placeholder."""
