"""Numbers and money as people read them, for pages, messages and alert texts: one module, so
that every figure reads the same way wherever it is shown.

English groups thousands (320,000; ¥1,200,000). Chinese reads large amounts in 万 (10⁴),
亿 (10⁸) and 万亿 (10¹²), the way Chinese finance writes them (¥32万, ¥1.2亿); below 10,000
it groups thousands as English does. The language is the `language` argument, else the
active one. Files (XLSX, CSV, the API) keep numbers as numbers and do not use this module.
"""

from decimal import Decimal

from django.conf import settings
from django.utils import formats, translation

EMPTY = "–"
# The units of Chinese large numbers, smallest first.
CHINESE_UNITS = [(Decimal(10) ** 4, "万"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 12, "万亿")]


def format_number(
    value, *, places: int = 2, fixed: bool = False, language: str | None = None, empty: str = EMPTY
) -> str:
    """A number for reading: 320,000 or 32万, 4.2, 23,333.33 or 2.33万; `empty` for None.

    At most `places` decimals, without trailing zeros, or exactly `places` when `fixed`
    (85.0). In 万 and 亿 the decimals are those of the unit (12.35万), never padded."""
    if value is None:
        return empty
    return _format(_decimal(value), places=places, fixed=fixed, language=language)


def format_money(value, *, language: str | None = None, empty: str = EMPTY) -> str:
    """An amount in yuan: ¥320,000, ¥1,234.50, -¥5,000; in Chinese ¥32万, ¥1.2亿; `empty` for None.

    Whole amounts have no decimals, others two; in 万 and 亿 at most two, never padded."""
    if value is None:
        return empty
    amount = _rounded(_decimal(value), places=2, fixed=False)
    text = _format(abs(amount), places=2, fixed=amount != amount.to_integral_value(), language=language)
    return f"-¥{text}" if amount < 0 else f"¥{text}"


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _rounded(number: Decimal, *, places: int, fixed: bool) -> Decimal:
    rounded = number.quantize(Decimal(1).scaleb(-places))
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    if fixed:
        return rounded
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral_value() else rounded.normalize()


def _format(number: Decimal, *, places: int, fixed: bool, language: str | None) -> str:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    rounded = _rounded(number, places=places, fixed=fixed)
    unit = ""
    if language.lower().startswith("zh") and abs(rounded) >= CHINESE_UNITS[0][0]:
        # The largest unit the amount reaches; the next one when rounding makes 10,000 of it
        # (99,999,999 is 1亿, not 10,000万).
        level = max(index for index, (size, _name) in enumerate(CHINESE_UNITS) if abs(rounded) >= size)
        while True:
            size, unit = CHINESE_UNITS[level]
            rounded = _rounded(number / size, places=places, fixed=False)
            if level + 1 == len(CHINESE_UNITS) or abs(rounded) < CHINESE_UNITS[level + 1][0] / size:
                break
            level += 1
    if language == translation.get_language():
        return formats.number_format(rounded, use_l10n=True, force_grouping=True) + unit
    with translation.override(language):
        return formats.number_format(rounded, use_l10n=True, force_grouping=True) + unit
