"""The blocks a text and its typeset form have in common, exactly as difflib finds them.

``difflib.SequenceMatcher(None, a, b, autojunk=False)`` splits the texts at their longest
common stretch (the earliest in ``a``, then in ``b``, of those as long) and again on each
side of it. Its search for that stretch goes over every place each character of ``a``
occurs in ``b``: for a body that repeats a few characters and marks (文字,測試. two
thousand times), every mark of it to change, that is the text's length times its changes,
minutes for a few thousand characters. `check` must list the same changes as before, so
the same blocks are found here, by another search: a stretch as long as the longest one
the split left on that side is looked for by hash, from the start of ``a``'s side; only
where there is none is the length of the longest looked for, once, from both ends of what
it can be. On a part whose characters recur little in the other text, difflib's own
search costs less than a walk by hash for each length tried, and is made instead.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

#: A block the texts have in common: ``a[i:i + size] == b[j:j + size]``, as (i, j, size).
Block = tuple[int, int, int]

# Polynomial hashes modulo a Mersenne prime: two stretches with the same hash are compared
# character by character all the same, so a collision costs time, never a wrong block.
_MODULUS = (1 << 61) - 1
_BASE = 0x1F3D5B79A3
# difflib's own search goes over each place in b of each character of a's side: where those
# are no more than twice the characters of both sides, it costs less than a search by hash,
# which walks both sides at least once for each length it tries.
_WALK_RATIO = 2


def _prefix_hashes(text: str) -> list[int]:
    hashes = [0]
    running = 0
    for char in text:
        running = (running * _BASE + ord(char)) % _MODULUS
        hashes.append(running)
    return hashes


@dataclass
class _Index:
    """Where each stretch of ``size`` characters starts in part of ``b``, by its hash."""

    size: int
    starts: dict[int, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Range:
    """A part of each text still to be matched: ``a[alo:ahi]`` against ``b[blo:bhi]``."""

    alo: int
    ahi: int
    blo: int
    bhi: int


class _Matcher:
    def __init__(self, a: str, b: str) -> None:
        self.a, self.b = a, b
        self.a_hashes, self.b_hashes = _prefix_hashes(a), _prefix_hashes(b)
        # Where each character is in b, and for each start of a how many places in b the
        # characters of a before it have in all: what difflib's own search costs on a part.
        self.places: dict[str, list[int]] = {}
        for j, char in enumerate(b):
            self.places.setdefault(char, []).append(j)
        self.places_before = [0]
        for char in a:
            self.places_before.append(self.places_before[-1] + len(self.places.get(char, ())))

    def longest(self, part: _Range, most: int, index: _Index | None) -> tuple[Block, _Index]:
        """difflib's ``find_longest_match`` over ``part``, no stretch of which longer than
        ``most`` characters is common to both texts; with the index that found it, which
        serves the part after it as well. Size 0 where the texts have nothing in common."""
        most = min(most, part.ahi - part.alo, part.bhi - part.blo)
        if most <= 0:
            return (part.alo, part.blo, 0), _Index(0)
        # The part after a block most often starts with a stretch as long: looked up in the
        # index at hand, it is found in a few steps, whatever the part's length.
        if index is not None and index.size == most:
            found = self.first(part, index)
            if found:
                return found, index
        # Where the part's characters recur little in b, difflib's own search, in one walk.
        if self.places_before[part.ahi] - self.places_before[part.alo] <= _WALK_RATIO * (
            part.ahi - part.alo + part.bhi - part.blo
        ):
            return self.walk(part), _Index(0)
        if index is None or index.size != most:
            index = self.index(part, most)
            found = self.first(part, index)
            if found:
                return found, index
        # Fewer than `most` characters agree anywhere here: as many as the longest do,
        # searched for from both ends in turn, the gap doubling each time, then halving
        # what is left between them once one end has passed it. From one character up,
        # as the longest is most often short; from `most` down, as stretches found in
        # order of growing length leave the next just under the last: searched for from
        # one character up only, each of them took some fifteen walks of all that was
        # left before it, minutes for a long body where difflib takes seconds.
        low, high, best = 0, most - 1, ((part.alo, part.blo, 0), _Index(0))
        step, downward, passed = 1, True, False
        while low < high:
            if passed:
                middle = (low + high + 1) // 2
            elif downward:
                middle, step = min(high, max(low + 1, most - step)), 2 * step
            else:
                middle = min(high, max(low + 1, 2 * low))
            index = self.index(part, middle)
            found = self.first(part, index)
            if found:
                low, best = middle, (found, index)
            else:
                high = middle - 1
            # Found going down, or not found going up: the longest lies within the gap.
            passed = passed or (found is not None) == downward
            downward = not downward
        return best

    def walk(self, part: _Range) -> Block:
        """difflib's own search (its ``find_longest_match``, no character junk): for each
        character of ``a``'s side, in order, each place of it in ``b``'s side, with the
        length of the common stretch that ends there."""
        best = (part.alo, part.blo, 0)
        ending: dict[int, int] = {}
        for i in range(part.alo, part.ahi):
            places = self.places.get(self.a[i], [])
            now: dict[int, int] = {}
            for at in range(bisect_left(places, part.blo), len(places)):
                j = places[at]
                if j >= part.bhi:
                    break
                size = now[j] = ending.get(j - 1, 0) + 1
                if size > best[2]:
                    best = (i - size + 1, j - size + 1, size)
            ending = now
        return best

    def index(self, part: _Range, size: int) -> _Index:
        index = _Index(size)
        power = pow(_BASE, size, _MODULUS)
        hashes = self.b_hashes
        for j in range(part.blo, part.bhi - size + 1):
            key = (hashes[j + size] - hashes[j] * power) % _MODULUS
            index.starts.setdefault(key, []).append(j)
        return index

    def first(self, part: _Range, index: _Index) -> Block | None:
        """The earliest stretch of ``a`` (then of ``b``) in ``part`` that the two texts
        have in common, of the index's size; None where there is none."""
        size, a, b = index.size, self.a, self.b
        power = pow(_BASE, size, _MODULUS)
        hashes, last_start = self.a_hashes, part.bhi - size
        for i in range(part.alo, part.ahi - size + 1):
            starts = index.starts.get((hashes[i + size] - hashes[i] * power) % _MODULUS)
            if starts is None:
                continue
            at = bisect_left(starts, part.blo)
            while at < len(starts) and starts[at] <= last_start:
                j = starts[at]
                if a[i : i + size] == b[j : j + size]:
                    return i, j, size
                at += 1
        return None


def matching_blocks(a: str, b: str) -> list[Block]:
    """The blocks ``a`` and ``b`` have in common, in order: the same as
    ``SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()`` without its
    closing empty block (and with blocks that touch left apart, as difflib finds them)."""
    matcher = _Matcher(a, b)
    blocks: list[Block] = []
    # Each part with the most characters that can agree in it and an index to reuse.
    queue: list[tuple[_Range, int, _Index | None]] = [
        (_Range(0, len(a), 0, len(b)), min(len(a), len(b)), None)
    ]
    while queue:
        part, most, index = queue.pop()
        (i, j, size), index = matcher.longest(part, most, index)
        if not size:
            continue
        blocks.append((i, j, size))
        if part.alo < i and part.blo < j:
            # Before the block, no stretch as long: it would have been found first.
            queue.append((_Range(part.alo, i, part.blo, j), size - 1, None))
        if i + size < part.ahi and j + size < part.bhi:
            queue.append((_Range(i + size, part.ahi, j + size, part.bhi), size, index))
    blocks.sort()
    return blocks
