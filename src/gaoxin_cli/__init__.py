"""gaoxin: 重点工作督查督办 (supervision of key work) as plan-as-code."""

__version__ = "0.1.0"
