"""Output: the only layer that formats for the terminal, JSON or CI annotations."""
