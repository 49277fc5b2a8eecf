"""The weighted total, computed in one place and used everywhere.

A criterion's weight is in points (a track's weights sum to 1000) and its score is a
percentage on the cycle's scale, so the criterion contributes weight × score / 100 points
and a perfect application scores 1000.
"""

from decimal import ROUND_HALF_UP, Decimal


def contribution(weight: int, score: int | None) -> Decimal:
    if score is None:
        return Decimal(0)
    return Decimal(weight) * Decimal(score) / Decimal(100)


def weighted_total(pairs) -> Decimal | None:
    """Total points of (weight, score) pairs, to one decimal; None while any score is
    missing, so a half-scored application never looks like a low one."""
    pairs = list(pairs)
    if not pairs or any(score is None for _weight, score in pairs):
        return None
    total = sum((contribution(weight, score) for weight, score in pairs), Decimal(0))
    return total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def spread(scores) -> int | None:
    scores = [s for s in scores if s is not None]
    return max(scores) - min(scores) if scores else None
