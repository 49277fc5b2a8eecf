"""The weighted total, computed in one place and used everywhere.

A criterion's weight is in points (a track's weights sum to 1000) and its score is a
percentage on the cycle's scale, so the criterion contributes weight × score / 100 points
and a perfect application scores 1000. Every total (consensus, after a site visit,
calibrated) is rounded once, by `rounded`: to a tenth, a half away from zero.
"""

from decimal import ROUND_HALF_UP, Decimal


def contribution(weight: int, score: int | float | Decimal | None) -> Decimal:
    """weight × score / 100 points, exactly. A score is a step of the scale, or a
    calibrated mean (a float, taken as written: 50.3 is 50.3)."""
    if score is None:
        return Decimal(0)
    return Decimal(weight) * Decimal(str(score)) / Decimal(100)


def rounded(points: Decimal) -> Decimal:
    """Points to one decimal, a half away from zero (11.65 → 11.7): the one rounding of a total."""
    return points.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def weighted_total(pairs) -> Decimal | None:
    """Total points of (weight, score) pairs, to one decimal; None while any score is
    missing, so a half-scored application never looks like a low one."""
    pairs = list(pairs)
    if not pairs or any(score is None for _weight, score in pairs):
        return None
    return rounded(sum((contribution(weight, score) for weight, score in pairs), Decimal(0)))


def spread(scores) -> int | None:
    scores = [s for s in scores if s is not None]
    return max(scores) - min(scores) if scores else None
