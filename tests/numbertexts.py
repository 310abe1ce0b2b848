"""Number texts for the test_numbers_* modules: English words for 0..999 and hypothesis
strategies for the texts csedata.numbers.read_number accepts."""

from __future__ import annotations

from hypothesis import strategies as st

ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = {
    2: "twenty",
    3: "thirty",
    4: "forty",
    5: "fifty",
    6: "sixty",
    7: "seventy",
    8: "eighty",
    9: "ninety",
}


def int_to_words(n: int, *, hyphen: bool = True, and_: bool = False) -> str:
    """0..999 in English words: 25 -> 'twenty-five', 112 -> 'one hundred twelve'."""
    assert 0 <= n <= 999
    if n < 20:
        return ONES[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return TENS[tens] + ("" if unit == 0 else ("-" if hyphen else " ") + ONES[unit])
    hundreds, rest = divmod(n, 100)
    head = f"{ONES[hundreds]} hundred"
    if rest == 0:
        return head
    return head + (" and " if and_ else " ") + int_to_words(rest, hyphen=hyphen)


casings = st.sampled_from([str.lower, str.upper, str.capitalize, str.title])


@st.composite
def decimal_texts(draw: st.DrawFn, max_int: int = 10**9) -> str:
    """A decimal as printed, with thousands separators: '1,234.56', '47.1', '0.5'."""
    whole = draw(st.integers(min_value=0, max_value=max_int))
    places = draw(st.integers(min_value=1, max_value=4))
    frac = draw(st.text(alphabet="0123456789", min_size=places, max_size=places))
    return f"{whole:,}.{frac}"


@st.composite
def number_texts(draw: st.DrawFn) -> str:
    """Any number text the reader accepts, without a qualifier."""
    kind = draw(st.sampled_from(["int", "decimal", "percent", "words", "ratio", "scale", "time"]))
    if kind == "int":
        return f"{draw(st.integers(min_value=0, max_value=10**12)):,}"
    if kind == "decimal":
        return draw(decimal_texts())
    if kind == "percent":
        return draw(decimal_texts(max_int=1000)) + draw(st.sampled_from(["%", " percent"]))
    if kind == "words":
        return int_to_words(draw(st.integers(min_value=0, max_value=999)))
    if kind == "ratio":
        return draw(st.sampled_from(["one in three", "two-thirds", "a third", "half"]))
    if kind == "scale":
        return draw(decimal_texts(max_int=999)) + draw(st.sampled_from([" million", " billion"]))
    return draw(st.sampled_from(["275 months", "23 years", "a decade", "two decades"]))
