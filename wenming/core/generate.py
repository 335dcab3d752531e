"""Synthetic cases at scale (`wenming generate --cases N`, bench/worklist.py, bench/scale.py).

Vectorised with numpy; on PostgreSQL the rows go in with COPY (per-row foreign-key triggers
off, secondary indexes rebuilt afterwards), elsewhere with batched INSERTs. New cases take ids
after the largest one and codes after each day's counter, so a seeded demo database can be
topped up. What is generated: reported_at over the last two years, volume growing
over time, mostly in the daytime; regions: 75 % in the grids of the demo city's main district
(location = the grid's centroid, jittered), 20 % in the other districts (their centroid), 5 %
without a location (the city); minor categories with a Zipf-like spread; the unit from the
routing rules (wenming.cases.routing.unit_for; the region's district government when no rule
matches); channels (hotline 45 %, snapshot 30 %, patrol 10 %, inspection 8 %, board 4 %,
api 2 %, open311 1 %); states by age: cases older than 30 days are closed (≈95 %), rejected or
merged, except ≈0.3 % stuck open (overdue); recent cases are open with a probability that
decays with age, in a stage that follows their age. Stage times and deadlines follow from
reported_at (sign 2 h, handle 3 days, 1 day if urgent, verify 1 day, in wall-clock time);
warning levels follow the deadlines. Events: every case gets its `submit` event, and every
case past `submitted` an event for the move that brought it to its current state (≈2 events
per case).
"""

from __future__ import annotations

import functools
import io
import time
from collections.abc import Mapping
from contextlib import nullcontext
from datetime import date, timedelta
from typing import Any

import numpy as np

CHANNELS = [
    ("hotline", 45),
    ("snapshot", 30),
    ("patrol", 10),
    ("inspection", 8),
    ("board", 4),
    ("api", 2),
    ("open311", 1),
]
ROADS = [
    "钢铁大街",
    "阿尔丁大街",
    "青年路",
    "幸福路",
    "民主路",
    "文化路",
    "友谊大街",
    "富强路",
    "科学路",
    "自由路",
    "建设路",
    "团结大街",
    "少先路",
    "巴彦塔拉大街",
    "包头大街",
]
DETAILS = [
    "已经好几天了",
    "影响居民出行",
    "晚上尤其严重",
    "多次反映未解决",
    "存在安全隐患",
    "周边群众意见很大",
    "希望相关部门尽快处理",
    "垃圾堆放",
    "污水外溢",
    "噪音扰民",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
# state → (last action, action of the event that brought the case there, from state)
STAGE = {
    "submitted": ("submit", ""),
    "registered": ("register", "submitted"),
    "dispatched": ("dispatch", "registered"),
    "in_progress": ("sign", "dispatched"),
    "handled": ("feedback", "in_progress"),
    "verified": ("verify_pass", "handled"),
    "closed": ("close", "verified"),
    "rejected": ("reject", "submitted"),
    "merged": ("merge", "submitted"),
}
OPEN_BY_AGE = [  # (max age in days, {state: weight}) for cases still open
    (0.5, {"submitted": 35, "registered": 30, "dispatched": 25, "in_progress": 10}),
    (
        3,
        {
            "submitted": 3,
            "registered": 7,
            "dispatched": 10,
            "in_progress": 60,
            "handled": 15,
            "verified": 5,
        },
    ),
    (30, {"registered": 3, "dispatched": 5, "in_progress": 65, "handled": 20, "verified": 7}),
    (1e9, {"dispatched": 10, "in_progress": 70, "handled": 20}),
]
CLOSED = {"closed": 95.5, "rejected": 2.5, "merged": 2.0}
HOUR = np.timedelta64(3600, "s")
DAY = 24 * HOUR


def _pick(rng: np.random.Generator, weights: Mapping[str, float], n: int) -> np.ndarray:
    p = np.array(list(weights.values()), dtype=float)
    return rng.choice(np.array(list(weights), dtype=object), size=n, p=p / p.sum())


class Generator:
    """Vectorised case generator: columns as numpy arrays, written as COPY text."""

    def __init__(self, n: int, seed: int = 2026) -> None:
        from django.utils import timezone

        self.n = n
        self.rng = np.random.default_rng(seed)
        self.now = np.datetime64(timezone.now().replace(tzinfo=None), "s")
        self._load_reference()

    def _load_reference(self) -> None:
        from django.contrib.auth.models import User

        from wenming.cases.models import Category
        from wenming.org.models import Region, Unit

        regions = list(Region.objects.filter(level__in=["grid", "district", "city"]))
        self.grids = [r for r in regions if r.level == "grid"]
        self.districts = [r for r in regions if r.level == "district" and not self._has_grids(r)]
        self.city = next(r for r in regions if r.level == "city")
        self.names = {r.code: r.name for r in Region.objects.all()}
        self.categories = list(Category.objects.filter(parent__isnull=False, is_active=True))
        self.units = {u.code: u for u in Unit.objects.all()}
        self.handler = User.objects.get(username="handler")
        self.dispatcher = User.objects.get(username="dispatcher")
        self.inspector = User.objects.get(username="inspector")

    def _has_grids(self, region: Any) -> bool:
        return any(g.path.startswith(region.path) for g in self.grids)

    # -- columns

    def times(self) -> np.ndarray:
        """reported_at, sorted: two years, volume growing ~2× over the period, daytime-heavy."""
        rng, n = self.rng, self.n
        start = self.now - 730 * DAY
        day = np.floor(rng.power(1.6, n) * 730).astype(np.int64)
        hours = np.arange(24)
        weight = np.where((hours >= 8) & (hours <= 21), 6.0, 1.0)
        hour = rng.choice(hours, size=n, p=weight / weight.sum())
        seconds = day * 86400 + hour * 3600 + rng.integers(0, 3600, n)
        at = np.sort(start.astype("datetime64[D]").astype("datetime64[s]") + seconds)
        return np.minimum(at, self.now - np.timedelta64(60, "s"))

    def states(self, reported: np.ndarray) -> np.ndarray:
        rng, n = self.rng, self.n
        age = (self.now - reported) / DAY  # type: ignore[operator]
        p_open = np.where(age <= 30, 0.97 * np.exp(-age / 6) + 0.01, 0.003)
        is_open = rng.random(n) < p_open
        state = _pick(rng, CLOSED, n)
        low = 0.0
        for high, weights in OPEN_BY_AGE:
            mask = is_open & (age > low) & (age <= high)
            state[mask] = _pick(rng, weights, int(mask.sum()))
            low = high
        return state

    def places(self) -> tuple[list[Any], np.ndarray, np.ndarray]:
        """Region per case, with latitude and longitude (NaN without a location)."""
        rng, n = self.rng, self.n
        pools = [self.grids, self.districts, [self.city]]
        which = rng.choice(3, size=n, p=[0.75, 0.20, 0.05])
        regions: list[Any] = [None] * n
        lat, lon = np.full(n, np.nan), np.full(n, np.nan)
        for k, pool in enumerate(pools):
            idx = np.flatnonzero(which == k)
            pick = rng.integers(0, len(pool), idx.size)
            for i, p in zip(idx, pick, strict=True):
                regions[i] = pool[p]
            if k < 2:
                clat = np.array([r.centroid_lat or 0.0 for r in pool])[pick]
                clon = np.array([r.centroid_lon or 0.0 for r in pool])[pick]
                jitter = 0.002 if k == 0 else 0.01
                lat[idx] = clat + rng.uniform(-jitter, jitter, idx.size)
                lon[idx] = clon + rng.uniform(-jitter, jitter, idx.size)
        return regions, lat, lon

    def category_index(self) -> np.ndarray:
        ranks = self.rng.permutation(len(self.categories))
        weight = 1.0 / (ranks + 1.0) ** 0.9
        return self.rng.choice(len(self.categories), size=self.n, p=weight / weight.sum())

    def route(self, regions: list[Any], cats: np.ndarray) -> list[Any]:
        """The unit the demo routing rules give each (category, region) pair."""
        from wenming.cases.models import RoutingRule
        from wenming.cases.routing import unit_for

        # A rule applies through the region's ancestors: regions whose ancestors carry the same
        # rule regions route alike, so one unit_for call per (those ancestors, category).
        ruled = set(RoutingRule.objects.values_list("region__path", flat=True))
        cache: dict[tuple[tuple[str, ...], int], Any] = {}
        units = []
        for region, c in zip(regions, cats.tolist(), strict=True):
            key = (tuple(p for p in ruled if region.path.startswith(p)), c)
            if key not in cache:
                cache[key] = unit_for(category=self.categories[c], region=region)
            units.append(cache[key] or self._government(region))
        return units

    def _government(self, region: Any) -> Any:
        codes = region.path.strip("/").split("/")
        for code in reversed(codes):
            if f"BT-{code}" in self.units:
                return self.units[f"BT-{code}"]
        return self.units["BT-WMB"] if "BT-WMB" in self.units else next(iter(self.units.values()))

    def addresses(self, regions: list[Any]) -> list[str]:
        """Street + community + road + number (empty without a location)."""
        prefix: dict[int, str] = {}
        roads = self.rng.integers(0, len(ROADS), self.n).tolist()
        numbers = self.rng.integers(1, 300, self.n).tolist()
        out = []
        for region, road, number in zip(regions, roads, numbers, strict=True):
            if region.level == "city":
                out.append("")
                continue
            if region.pk not in prefix:
                codes = region.path.strip("/").split("/")
                prefix[region.pk] = "".join(self.names[c] for c in codes[3:5] if c in self.names)
            out.append(f"{prefix[region.pk]}{ROADS[road]}{number}号附近")
        return out

    def local_days(self, reported: np.ndarray) -> list[date]:
        """Local calendar day of each report (the zone's current UTC offset; no DST in China)."""
        from django.utils import timezone

        offset = timezone.localtime().utcoffset() or timedelta()
        shifted = reported + np.timedelta64(int(offset.total_seconds()), "s")
        return shifted.astype("datetime64[D]").tolist()


def _ts(values: np.ndarray) -> list[str | None]:
    """numpy datetimes (UTC, NaT for null) → COPY text."""
    text = np.datetime_as_string(values, unit="s")
    return [None if t == "NaT" else t + "+00" for t in text.tolist()]


def _copy_text(rows: list[list[Any]]) -> str:
    out = io.StringIO()
    for row in rows:
        out.write("\t".join("\\N" if v is None else str(v) for v in row))
        out.write("\n")
    return out.getvalue()


# The reporter's phone is stored encrypted beside its hash, tail and masked form
# (wenming.core.personal); encrypting each distinct number once keeps generation fast.
PHONE_COLUMNS = [f"reporter_phone_{part}" for part in ("encrypted", "hash", "tail", "masked")]


@functools.lru_cache(maxsize=300_000)
def phone_values(phone: str) -> tuple[str, ...]:
    from wenming.core.personal import phone_columns

    columns = phone_columns("reporter_phone", phone)
    return tuple(columns[name] for name in PHONE_COLUMNS)


CASE_COLUMNS = [
    "id",
    "code",
    "channel",
    "state",
    "version",
    "last_action",
    "reporter_name",
    *PHONE_COLUMNS,
    "is_anonymous",
    "reporter_user_id",
    "title",
    "description",
    "category_id",
    "nature",
    "urgency",
    "lat",
    "lon",
    "address",
    "region_id",
    "unit_id",
    "proposed_unit_id",
    "handler_id",
    "merged_into_id",
    "is_public",
    "rework_count",
    "supervision_level",
    "warning_level",
    "reported_at",
    "registered_at",
    "dispatched_at",
    "signed_at",
    "handled_at",
    "closed_at",
    "sign_deadline",
    "handle_deadline",
    "verify_deadline",
    "suspended_at",
    "suspended_total",
    "created_at",
    "updated_at",
]
EVENT_COLUMNS = [
    "case_id",
    "action",
    "from_state",
    "to_state",
    "actor_id",
    "actor_label",
    "unit_id",
    "note",
    "visibility",
    "data",
    "created_at",
]
ORDER = ["submitted", "registered", "dispatched", "in_progress", "handled", "verified", "closed"]


def _stage_times(g: Generator, reported: np.ndarray, state: np.ndarray, urgent: np.ndarray) -> dict:
    """Stage timestamps and deadlines; NaT where the case has not reached the stage."""
    rng, n, now = g.rng, g.n, g.now
    level = np.array([ORDER.index(s) if s in ORDER else -1 for s in state.tolist()])
    answered = (state == "closed") & (rng.random(n) < 0.05)  # answered directly, never dispatched
    span = {
        "registered_at": (0.2, 4),
        "dispatched_at": (0.1, 3),
        "signed_at": (0.1, 2.5),
        "handled_at": (2, 96),
        "closed_at": (1, 24),
    }
    t, at, out = reported.copy(), {}, {}
    for k, (name, (lo, hi)) in enumerate(span.items(), start=1):
        t = t + (rng.uniform(lo, hi, n) * 3600).astype("timedelta64[s]")
        stage_level = {"handled_at": 4, "closed_at": 6}.get(name, k)
        reached = level >= stage_level
        if name != "closed_at":
            reached &= ~answered
        at[name] = np.where(
            reached, np.minimum(t, now - np.timedelta64(30, "s")), np.datetime64("NaT")
        )
    at["closed_at"] = np.where(answered, reported + 2 * HOUR, at["closed_at"])
    at["closed_at"] = np.minimum(at["closed_at"], now)
    out.update(at)
    handle_days = np.where(urgent, 1, 3)
    out["sign_deadline"] = at["dispatched_at"] + 2 * HOUR
    out["handle_deadline"] = at["dispatched_at"] + handle_days * DAY
    out["verify_deadline"] = at["handled_at"] + DAY
    out["answered"] = answered
    out["level"] = level
    return out


def _warnings(g: Generator, state: np.ndarray, times: dict) -> np.ndarray:
    now = g.now
    warning = np.zeros(g.n, dtype=int)
    handling = np.isin(state, ["dispatched", "in_progress"])
    left = (times["handle_deadline"] - now) / DAY
    warning[handling & (left < 0.5)] = 1
    warning[handling & (left < 0)] = 2
    verifying = state == "handled"
    warning[verifying & ((times["verify_deadline"] - now) / DAY < 0)] = 2
    warning[(state == "closed") & (g.rng.random(g.n) < 0.03)] = 2
    return warning


def generate(
    g: Generator, *, first_id: int = 1, counters: dict[date, int] | None = None
) -> tuple[list[list[Any]], list[list[Any]], dict[date, int]]:
    """The case and event rows (ids from `first_id`, codes after `counters`), and the last
    code number per day."""
    from wenming.cases.codes import case_code

    rng, n = g.rng, g.n
    reported = g.times()
    state = g.states(reported)
    regions, lat, lon = g.places()
    cats = g.category_index()
    units = g.route(regions, cats)
    urgency = _pick(rng, {"normal": 90, "urgent": 9, "critical": 1}, n)
    times = _stage_times(g, reported, state, urgency != "normal")
    warning = _warnings(g, state, times)
    channel = _pick(rng, dict(CHANNELS), n)
    returned = (state == "registered") & (rng.random(n) < 0.10)
    rework = (state == "in_progress") & (rng.random(n) < 0.08)
    redispatched = (state == "dispatched") & (rng.random(n) < 0.05)
    phones = 13000000000 + rng.integers(0, 6_999_999_999, 200_000)
    phone_pick = np.minimum(rng.zipf(1.3, n), 200_000) - 1
    phone_pick = np.where(rng.random(n) < 0.6, rng.integers(0, 200_000, n), phone_pick)
    anonymous = rng.random(n) < 0.10
    staff_channel = np.isin(channel, ["patrol", "inspection"])
    local = g.local_days(reported)
    addresses = g.addresses(regions)
    ts = {k: _ts(v) for k, v in times.items() if k not in ("answered", "level")}
    reported_s = _ts(reported)
    now_s = _ts(np.array([g.now]))[0]
    counters = dict(counters or {})
    cases, events = [], []
    for i in range(n):
        day = local[i]
        counters[day] = counters.get(day, 0) + 1
        code = case_code(day, counters[day])
        cat, region, unit, s = g.categories[cats[i]], regions[i], units[i], state[i]
        lvl = times["level"][i]
        dispatched = lvl >= 2 and not times["answered"][i]
        last_action = STAGE[s][0]
        if returned[i]:
            last_action = "return"
        elif rework[i]:
            last_action = "verify_fail"
        elif redispatched[i]:
            last_action = "redispatch"
        elif times["answered"][i]:
            last_action = "answer"
        address = addresses[i]
        detail = DETAILS[(i * 7) % len(DETAILS)]
        description = (
            f"{address}{cat.name}，{detail}，请尽快处理。" if address else f"{cat.name}，{detail}。"
        )
        staff = staff_channel[i]
        name = "" if anonymous[i] or staff else SURNAMES[i % 20] + GIVEN[(i * 13) % 26]
        phone = phone_values("" if staff else str(phones[phone_pick[i]]))
        pk = first_id + i
        cases.append(
            [
                pk,
                code,
                channel[i],
                s,
                1 + max(lvl, 1 if s in ("rejected", "merged") else 0),
                last_action,
                name,
                *phone,
                "t" if anonymous[i] else "f",
                g.inspector.pk if staff else None,
                cat.name,
                description,
                cat.pk,
                cat.default_nature,
                urgency[i],
                None if np.isnan(lat[i]) else round(float(lat[i]), 6),
                None if np.isnan(lon[i]) else round(float(lon[i]), 6),
                address,
                region.pk,
                unit.pk if dispatched else None,
                unit.pk,
                g.handler.pk
                if dispatched and unit.code == "BT-150204001000" and lvl >= 3
                else None,
                pk - 1 if s == "merged" and pk > first_id else None,
                "t",
                1 if rework[i] else 0,
                1 if warning[i] == 2 and s != "closed" else 0,
                int(warning[i]),
                reported_s[i],
                ts["registered_at"][i],
                ts["dispatched_at"][i] if dispatched else None,
                ts["signed_at"][i] if dispatched else None,
                ts["handled_at"][i],
                ts["closed_at"][i],
                ts["sign_deadline"][i] if dispatched else None,
                ts["handle_deadline"][i] if dispatched else None,
                ts["verify_deadline"][i],
                None,
                "0",
                reported_s[i],
                ts["closed_at"][i] or now_s,
            ]
        )
        visibility = "public"
        events.append(
            [pk, "submit", "", "submitted", None, "", None, "", visibility, "{}", reported_s[i]]
        )
        if s != "submitted":
            when = ts["closed_at"][i] or ts["handled_at"][i] or ts["signed_at"][i]
            when = when or ts["dispatched_at"][i] or ts["registered_at"][i] or reported_s[i]
            actor = g.handler.pk if lvl in (3, 4) else g.dispatcher.pk
            events.append(
                [
                    pk,
                    last_action,
                    STAGE[s][1],
                    s,
                    actor,
                    "",
                    unit.pk if dispatched else None,
                    "",
                    "staff",
                    "{}",
                    when,
                ]
            )
    return cases, events, counters


CHUNK = 500_000  # cases generated and written at a time (bounded memory at 10,000,000)


def fill(n: int, *, seed: int = 2026, quiet: bool = False) -> None:
    """Generate n cases (and their events) after the existing ones and write them in."""
    from django.db import connection, transaction
    from django.db.models import Max

    from wenming.cases.models import Case, CaseCodeCounter, CaseEvent
    from wenming.core.bulk import indexes_deferred

    started = time.perf_counter()
    first_id = (Case.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    counters = dict(CaseCodeCounter.objects.values_list("day", "last"))
    postgres = connection.vendor == "postgresql"
    events_total = 0
    # Large loads drop the case tables' secondary indexes and build each once afterwards.
    deferred = indexes_deferred(Case, CaseEvent) if postgres and n >= 100_000 else nullcontext()
    with transaction.atomic():
        with deferred:
            for k, start in enumerate(range(0, n, CHUNK)):
                size = min(CHUNK, n - start)
                cases, events, counters = generate(
                    Generator(size, seed=seed + k), first_id=first_id + start, counters=counters
                )
                (_copy if postgres else _insert)(cases, events)
                events_total += len(events)
                if not quiet:
                    print(
                        f"  {start + size:,} cases written ({time.perf_counter() - started:.0f} s)"
                    )
        for day, last in counters.items():
            CaseCodeCounter.objects.update_or_create(day=day, defaults={"last": last})
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('cases_case', 'id'), "
                    "(SELECT max(id) FROM cases_case))"
                )
    written = time.perf_counter() - started
    if postgres and not connection.in_atomic_block:  # VACUUM cannot run in a transaction
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) cases_case")  # what autovacuum would do later
            cursor.execute("VACUUM (ANALYZE) cases_caseevent")
    if not quiet:
        print(
            f"filled {n:,} cases and {events_total:,} events in "
            f"{time.perf_counter() - started:.0f} s (written in {written:.0f} s)"
        )


def _copy(cases: list[list[Any]], events: list[list[Any]]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.connection
        # Generated rows are consistent by construction: skip the per-row FK triggers.
        cursor.execute("SET LOCAL session_replication_role = replica")
        with raw.cursor().copy(f"COPY cases_case ({', '.join(CASE_COLUMNS)}) FROM STDIN") as copy:
            copy.write(_copy_text(cases))
        columns = ", ".join(EVENT_COLUMNS)
        with raw.cursor().copy(f"COPY cases_caseevent ({columns}) FROM STDIN") as copy:
            copy.write(_copy_text(events))
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _insert(cases: list[list[Any]], events: list[list[Any]]) -> None:
    """Batched INSERTs (SQLite and other databases): the COPY text values, typed."""
    from django.db import connection

    def value(v: Any) -> Any:
        if v in ("t", "f"):
            return v == "t"
        if isinstance(v, str) and len(v) == 22 and v.endswith("+00") and v[10] == "T":
            return f"{v[:10]} {v[11:19]}"  # Django's SQLite form of a UTC datetime
        return v

    def typed(row: list[Any]) -> list[Any]:
        return [value(v) for v in row]

    def sql(table: str, columns: list[str]) -> str:
        marks = ", ".join(["%s"] * len(columns))
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608

    with connection.cursor() as cursor:
        for start in range(0, len(cases), 5000):
            cursor.executemany(
                sql("cases_case", CASE_COLUMNS), [typed(r) for r in cases[start : start + 5000]]
            )
        for start in range(0, len(events), 5000):
            batch = [typed(r) for r in events[start : start + 5000]]
            cursor.executemany(sql("cases_caseevent", EVENT_COLUMNS), batch)
