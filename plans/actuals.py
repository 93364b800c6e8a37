"""Targets' actuals kept in the cache between page loads.

Summing a busy year's metric values for every target on each load made the dashboards and the
plan page slow (about 140 ms of SQL for 200 campaigns over 1,000,000 values,
bench/pages_bench.py). An actual changes only when the values it reads change, or the
definition it is computed from does, so it is kept in the cache under both:

- the version of the values it reads: a campaign's target, its campaign's `values_version`;
  a plan's target (which reads every value recorded in the plan, its campaigns' included),
  the plan's `values_version`. Whatever writes or deletes metric values renews the versions
  of their campaigns and plans in the same transaction (services.metric_values_changed), so a
  page read after the write finds no entry and computes the actual again;
- what else the figure depends on: the target's metric (its aggregation, its components and
  unit for a ratio), channel and period, and the scope's ids.

A version is a random UUID, never a counter: an entry left in the cache by a rolled-back
write, a cache that lost some keys, or a row whose id was reused can never be read as the
current figure. One cache entry per scope (campaign or plan) holds its targets' figures, so a
page reads them all in one round trip.
"""

import logging
from collections.abc import Callable, Iterable

from django.core.cache import cache

from .models import AnnualPlan, Target

logger = logging.getLogger(__name__)

# Part of every key: change it when what is cached, or how it is computed, changes.
FORMAT = 1
# Entries of scopes nobody reads any more expire on their own.
TIMEOUT = 7 * 24 * 3600


def definition(target: Target) -> str:
    """What a target's actual is computed from besides the values (the metric must be loaded)."""
    metric = target.metric
    return ":".join(
        str(part)
        for part in (
            target.pk,
            target.metric_id,
            metric.aggregation,
            metric.numerator_id,
            metric.denominator_id,
            metric.unit,
            target.channel_id,
            target.period_start.isoformat(),
            target.period_end.isoformat(),
            target.campaign_id,
            target.plan_id,
        )
    )


def scope_key(target: Target) -> str:
    """The scope whose values a target's actual reads, at its current version: its campaign's,
    or its plan's (the target carries `campaign_values_version` and `plan_values_version`,
    see selectors.versioned)."""
    if target.campaign_id is not None:
        return f"c{target.campaign_id}:{target.campaign_values_version}"
    return f"p{target.plan_id}:{target.plan_values_version}"


def cached_figures(
    targets: Iterable[Target], *, kind: str, compute: Callable[[list[int]], dict[int, object]]
) -> dict[int, object]:
    """The figure of `kind` of each target (by pk): from the cache when its scope's values and
    its definition are unchanged, else from `compute(pks)` (one call for all the missing ones,
    which must return a figure for each pk), then kept. The targets carry their scope's
    version (see scope_key) and their metric."""
    targets = list(targets)
    if not targets:
        return {}
    keys = {target.pk: f"plans:actuals:{FORMAT}:{kind}:{scope_key(target)}" for target in targets}
    definitions = {target.pk: definition(target) for target in targets}
    entries = _read(set(keys.values()))
    if entries is None:  # the cache is down: the page computes its figures as without one
        return compute([target.pk for target in targets])
    figures = {}
    missing = []
    for target in targets:
        entry = entries.get(keys[target.pk]) or {}
        if definitions[target.pk] in entry:
            figures[target.pk] = entry[definitions[target.pk]]
        else:
            missing.append(target.pk)
    if missing:
        computed = compute(missing)
        changed = {}
        for pk in missing:
            figures[pk] = computed[pk]
            key = keys[pk]
            if key not in changed:  # merged with what is there: pages read different targets of a scope
                changed[key] = dict(entries.get(key) or {})
            changed[key][definitions[pk]] = computed[pk]
        _write(changed)
    return figures


def cached_plan_figure(plan: AnnualPlan, *, kind: str, definition: str, compute: Callable[[], object]) -> object:
    """A figure of a plan computed from every value recorded in it (its recorded cost…): from
    the cache while the plan's values version and the `definition` given (what else the figure
    is computed from, as text) are unchanged, else `compute()`, then kept."""
    key = f"plans:actuals:{FORMAT}:{kind}:p{plan.pk}:{plan.values_version}"
    entries = _read({key})
    if entries is not None and definition in (entries.get(key) or {}):
        return entries[key][definition]
    figure = compute()
    if entries is not None:
        _write({key: {**(entries.get(key) or {}), definition: figure}})
    return figure


def _read(keys: set[str]) -> dict | None:
    """The entries found, or None when the cache cannot be read."""
    try:
        return cache.get_many(keys)
    except Exception:
        logger.warning("Cached actuals: the cache is unreachable", exc_info=True)
        return None


def _write(entries: dict) -> None:
    try:
        cache.set_many(entries, timeout=TIMEOUT)
    except Exception:
        logger.warning("Cached actuals: the cache is unreachable", exc_info=True)
