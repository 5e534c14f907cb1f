"""Rendered page bodies kept in memory per process until the data changes.

A page's main part is filed under the data revision (tracker.revision), the page's path and
query string, the reader's language (tracker.i18n), and today's date (the as-of date defaults
to today, and the banner compares with it). Any committed write to milestones, history,
citations, notes, plans or States gives the database a new revision, so no process serves a
page of an older one; nothing has to be told to forget. Only parts that are the same for
every reader are kept: the navigation, the sign-out form and flashed messages are rendered
for each request around them; for readers who are not signed in, whose pages have none of
these, the whole page is kept as sent. Kept pages show no timestamps (which follow the
reader's time zone, tracker.i18n.local_time), so readers in every zone share them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from cachetools import LRUCache
from flask import Flask, current_app, g, request, session
from flask_login import current_user
from markupsafe import Markup

from tracker import i18n, revision
from tracker.db import get_session

_EXTENSION = "tracker.page_cache"
_Kept = TypeVar("_Kept", "Fragment", bytes)


@dataclass(frozen=True)
class Fragment:
    """A page's title and main HTML."""

    title: str
    html: Markup


def _size(value: Fragment | bytes) -> int:
    return len(value) if isinstance(value, bytes) else len(value.html) + len(value.title)


class PageCache:
    """A least-recently-used store of fragments, bounded in bytes, safe across threads."""

    def __init__(self, max_bytes: int) -> None:
        self._store: LRUCache[Hashable, Fragment | bytes] = LRUCache(
            maxsize=max_bytes, getsizeof=_size
        )
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Fragment | bytes | None:
        """The fragment filed under the key, if any."""
        with self._lock:
            found = self._store.get(key)
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
            return found

    def put(self, key: Hashable, fragment: Fragment | bytes) -> None:
        """File a fragment; one larger than the whole cache is simply not kept."""
        with self._lock, suppress(ValueError):  # cachetools: "value too large"
            self._store[key] = fragment


def init_app(app: Flask) -> None:
    """Give the app its own cache (none when PAGE_CACHE_MB is 0)."""
    megabytes = int(app.config.get("PAGE_CACHE_MB", 0))
    app.extensions[_EXTENSION] = PageCache(megabytes * 2**20) if megabytes > 0 else None


def page_cache() -> PageCache | None:
    """The current app's cache, or None when caching is off."""
    cache: PageCache | None = current_app.extensions.get(_EXTENSION)
    return cache


def _token() -> str | None:
    """The data revision, read once per request."""
    if "data_revision" not in g:
        g.data_revision = revision.current(get_session())
    token: str | None = g.data_revision
    return token


def cached_fragment(name: str, build: Callable[[], Fragment]) -> Fragment:
    """This request's fragment of the named page, built at most once per data revision.

    `build` may abort (404, 400): nothing is kept then.
    """
    cache = page_cache()
    token = _token() if cache is not None else None
    if cache is None or token is None:
        return build()
    args = tuple(sorted(request.args.items(multi=True)))
    key = (name, token, i18n.current(), date.today(), request.path, args)
    return _kept(cache, key, Fragment, build)


def cached_page(name: str, render: Callable[[], str]) -> bytes:
    """The whole page as sent, kept for readers who are not signed in and have no message
    waiting: for them nothing on the page depends on who asks (no form, no name, no token).
    Everyone else gets the page rendered around the cached fragment."""
    cache = page_cache()
    anonymous = not current_user.is_authenticated and "_flashes" not in session
    token = _token() if cache is not None and anonymous else None
    if cache is None or token is None:
        return render().encode("utf-8")
    key = (name, "page", token, i18n.current(), date.today(), request.full_path)
    return _kept(cache, key, bytes, lambda: render().encode("utf-8"))


def _kept(cache: PageCache, key: Hashable, kind: type[_Kept], make: Callable[[], _Kept]) -> _Kept:
    """What is filed under the key, or made now and filed."""
    found = cache.get(key)
    if isinstance(found, kind):
        return found
    made = make()
    cache.put(key, made)
    return made
