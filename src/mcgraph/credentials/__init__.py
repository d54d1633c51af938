"""Micro-credential catalogues: the credential model, catalogue formats (tabular, OB3, ELM, CTDL), skill
resolution and the synthetic generator.

Format modules register themselves by defining ``FORMAT`` (see :mod:`.formats`).
"""

from __future__ import annotations

from .formats import CredentialFormat, available_formats, detect_format, get_format

__all__ = ["CredentialFormat", "available_formats", "detect_format", "get_format"]
