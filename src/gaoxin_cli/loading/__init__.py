"""YAML → models, with every problem reported at file:line:col."""
