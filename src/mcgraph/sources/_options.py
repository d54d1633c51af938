"""Values of source options (``mcgraph load NAME PATH -O key=value``) as the sources' constructors take them.

>>> option_bool("off", "strict"), option_bool("Yes", "strict"), option_bool(True, "strict")
(False, True, True)
"""

from __future__ import annotations

TRUE_WORDS = frozenset({"true", "yes", "on", "1", "y"})
FALSE_WORDS = frozenset({"false", "no", "off", "0", "n"})


def option_bool(value: object, name: str) -> bool:
    """A boolean option from ``True``/``False`` or a word (true/false, yes/no, on/off, 1/0, any case).

    Anything else raises ValueError naming the option and the accepted words (the load then stops with
    exit code 2 before reading anything).
    """
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"option {name}={value!s} is not a yes/no value; use true or false (also yes/no, on/off, 1/0)")
