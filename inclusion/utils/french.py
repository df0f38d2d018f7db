"""French typography helpers."""

import unicodedata

# Elision is decided on the first letter only: a leading h can be muet (« d'Hélène ») or aspiré
# (« de Hugo »), which no rule can tell apart, so "h" keeps "de".
_VOWELS = frozenset("aeiouy")


def starts_with_vowel(text: str) -> bool:
    """Whether ``text`` starts with a vowel, accented or not, in any case (« É », « à », « Ÿ », « Œ »)."""
    if not text:
        return False
    first = text[0].lower()
    if first in "æœ":
        return True
    # NFD splits « é » into « e » + the combining accent: the base letter comes first.
    return unicodedata.normalize("NFD", first)[0] in _VOWELS


def de_prefix(name: str) -> str:
    """The « d' » or « de » put before ``name``, with its separating space."""
    return "d'" if starts_with_vowel(name) else "de "


def de(name: str) -> str:
    """« de » before ``name``, elided before a vowel: « de Camille MARTIN », « d'Inès MOREAU ».

    An empty name gives « de » alone rather than a dangling « d' ».
    """
    if not name:
        return "de"
    return f"{de_prefix(name)}{name}"


def que_prefix(word: str) -> str:
    """« qu' » or « que » before ``word``: « en tant que prescripteur », « en tant qu'employeur »."""
    return "qu'" if starts_with_vowel(word) else "que "
