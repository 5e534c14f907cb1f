"""Python's cyclic garbage collector held while a report or a page builds its many objects.

Every 700 new containers start a collection, and the objects a process keeps alive (the ORM's
mappings, templates, a report's rows) make each one longer: over a third of building a
4 000-item report went to collections that found nothing to free (these objects form no
cycles; reference counting frees them), and an uncached page lost as much to one full
collection in the middle of its render. Mercurial's `util.nogc` does the same for the same
reason. Pure: no Flask, no database.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Hold the collector for the block; nested or concurrent uses only re-enable it if it was
    enabled on entry (what the block left for it is collected later, as usual)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
