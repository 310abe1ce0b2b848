"""English number words, defined once: the number reader (csedata.numbers) reads the
cardinals and fractions, and the ledger (csedata.ledger) counts every word here as a
number token, so a number written in words is never skipped in silence."""

from __future__ import annotations

SMALL: dict[str, int] = {
    word: i
    for i, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
TENS: dict[str, int] = {
    word: 10 * (i + 2)
    for i, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
SCALES: dict[str, int] = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 10**9}
DENOMINATORS: dict[str, int] = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "tenth": 10,
    "tenths": 10,
}
_IRREGULAR = {"one": "first", "two": "second", "three": "third", "five": "fifth"}
_IRREGULAR |= {"eight": "eighth", "nine": "ninth", "twelve": "twelfth"}


def ordinal(cardinal: str) -> str:
    """ "seven" -> "seventh", "twenty" -> "twentieth", "twelve" -> "twelfth"."""
    if cardinal in _IRREGULAR:
        return _IRREGULAR[cardinal]
    if cardinal.endswith("y"):
        return cardinal[:-1] + "ieth"
    return cardinal + "th"


# the ordinal of every cardinal above zero the reader knows: "first" to "billionth"
ORDINALS: dict[str, int] = {
    ordinal(word): n for word, n in {**SMALL, **TENS, **SCALES}.items() if n > 0
}
MULTIPLES = (
    *["double", "doubled", "twice", "triple", "tripled", "dozen", "dozens", "decade"],
    *["decades", "hundreds", "thousands", "millions", "billions"],
)
# every word the ledger counts as a number token
TOKEN_WORDS = frozenset({*SMALL, *TENS, *SCALES, *DENOMINATORS, *ORDINALS, *MULTIPLES})
