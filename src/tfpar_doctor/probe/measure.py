"""Measuring windows, level sweeps, calibration and the isolated replay (child process only).

Pitfalls handled here (TFDATA_FACTS section 6): each level is built once and its build time recorded apart
from the windows; every window starts from a fresh iterator with a warm-up excluded from the count; levels are
measured round-robin; process CPU, other processes' CPU and GIL contention are recorded per window; a
known-parallel reference is timed before each round; the isolated replay reads `take(n).cache()` to the end
before measuring.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import psutil
import tensorflow as tf

from tfpar_doctor.probe import intercept

AUTOTUNE = tf.data.AUTOTUNE
MIN_WINDOW_ELEMENTS = 5


class UserError(Exception):
    """An exception raised by the user's pipeline while we iterate it."""

    def __init__(self, original: BaseException) -> None:
        super().__init__(str(original))
        self.original = original


class EmptyDataset(Exception):
    pass


@dataclass
class Window:
    elements: int
    wall: float
    cpu_cores: float
    other_cpu_cores: float
    gil: float | None
    first_element: float
    epochs: int = 0
    autotuned: int | None = None

    @property
    def rate(self) -> float:
        return self.elements / self.wall if self.wall > 0 else 0.0


@dataclass
class LevelStats:
    level: str
    parallelism: int | None
    windows: list[Window] = field(default_factory=list)
    build_seconds: float | None = None
    threadpool_size: int | None = None
    autotuned_value: int | None = None
    rounds_dropped: int = 0  # rounds measured while the calibration showed the cores were not lent

    def as_dict(self) -> dict[str, Any]:
        rates = [w.rate for w in self.windows]
        med = statistics.median(rates) if rates else 0.0
        spread = (max(rates) - min(rates)) / med if rates and med > 0 else 0.0
        gils = [w.gil for w in self.windows if w.gil is not None]
        return {
            "level": self.level,
            "parallelism": self.parallelism,
            "elements_per_second": med,
            "spread": spread,
            "cpu_cores": statistics.median([w.cpu_cores for w in self.windows]) if self.windows else 0.0,
            "gil_contention": statistics.median(gils) if gils else None,
            "other_cpu_cores": statistics.median([w.other_cpu_cores for w in self.windows])
            if self.windows
            else 0.0,
            "repeats": len(self.windows),
            "autotuned_value": self.autotuned_value,
            "elements": sum(w.elements for w in self.windows),
            "build_seconds": self.build_seconds,
            "first_element_seconds": (
                statistics.median([w.first_element for w in self.windows]) if self.windows else None
            ),
            "threadpool_size": self.threadpool_size,
        }


def level_override(level: str) -> tuple[intercept.Override | None, int | None]:
    """The site override and the private pool size for a level string ("as-written": none)."""
    if level == "as-written":
        return None, None
    if level == "autotune":
        return intercept.Override(AUTOTUNE), None
    if level == "unbounded":
        return intercept.Override(AUTOTUNE, unbounded=True), None
    if level.startswith("private:"):
        size = int(level.split(":", 1)[1])
        return intercept.Override(size), size
    return intercept.Override(int(level)), None


def level_parallelism(level: str) -> int | None:
    if level in ("autotune", "unbounded", "as-written"):
        return None
    if level.startswith("private:"):
        return int(level.split(":", 1)[1])
    return int(level)


class Meter:
    def __init__(self) -> None:
        self.proc = psutil.Process()
        self.knocker = None
        try:
            from gilknocker import KnockKnock

            self.knocker = KnockKnock(polling_interval_micros=1000)
        except Exception:  # noqa: BLE001 - contention is optional
            self.knocker = None

    def window(
        self,
        ds: Any,
        seconds: float,
        max_elements: int | None,
        warmup: float,
        autotune_position: int | None = -2,
    ) -> Window:
        start = time.perf_counter()
        it = iter(ds)
        try:
            next(it)
        except StopIteration:
            raise EmptyDataset() from None
        except tf.errors.OutOfRangeError:
            raise EmptyDataset() from None
        except Exception as exc:  # noqa: BLE001
            raise UserError(exc) from exc
        first = time.perf_counter() - start
        epochs = 0
        deadline = time.perf_counter() + warmup
        try:
            while time.perf_counter() < deadline:
                try:
                    next(it)
                except StopIteration:
                    it = iter(ds)
            count = 0
            cpu0 = self.proc.cpu_times()
            sys0 = psutil.cpu_times()
            if self.knocker is not None:
                self.knocker.reset_contention_metric()
                self.knocker.start()
            t0 = time.perf_counter()
            end = t0 + seconds
            hard_end = t0 + 4 * seconds  # slow pipelines: wait for a few elements, within limits
            now = t0
            limit = max_elements or (1 << 62)
            while (now < end or (count < MIN_WINDOW_ELEMENTS and now < hard_end)) and count < limit:
                try:
                    next(it)
                    count += 1
                except StopIteration:
                    epochs += 1
                    it = iter(ds)
                    if epochs > 10000:
                        break
                now = time.perf_counter()
            wall = now - t0
            gil = None
            if self.knocker is not None:
                self.knocker.stop()
                gil = float(self.knocker.contention_metric)
            cpu1 = self.proc.cpu_times()
            sys1 = psutil.cpu_times()
            autotuned = autotuned_parallelism(it, autotune_position) if autotune_position != -2 else None
        except (StopIteration, EmptyDataset):
            raise
        except Exception as exc:  # noqa: BLE001
            if self.knocker is not None and self.knocker.is_running:
                self.knocker.stop()
            raise UserError(exc) from exc
        finally:
            del it
        ours = (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system)
        busy = _busy(sys1) - _busy(sys0)
        wall = max(wall, 1e-9)
        return Window(
            elements=count,
            wall=wall,
            cpu_cores=ours / wall,
            other_cpu_cores=max(0.0, (busy - ours) / wall),
            gil=gil,
            first_element=first,
            epochs=epochs,
            autotuned=autotuned,
        )


def _busy(t: Any) -> float:
    return t.user + t.system + getattr(t, "nice", 0.0) + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0)


def autotuned_parallelism(iterator: Any, position: int | None) -> int | None:
    """AUTOTUNE's chosen parallelism (`state_value`) of the `position`-th tunable node (input first)."""
    try:
        proto = tf.data.experimental.get_model_proto(iterator)
    except Exception:  # noqa: BLE001
        return None
    nodes = []
    for key, node in proto.nodes.items():
        for p in node.parameters:
            if p.name == "parallelism" and p.tunable:
                nodes.append((key, int(p.state_value)))
    if not nodes:
        return None
    nodes.sort(reverse=True)  # ids grow from the output to the input: input first after reversing
    if position is None or position >= len(nodes):
        return nodes[0][1] if len(nodes) == 1 else None
    return nodes[position][1]


# --------------------------------------------------------------------------------------- calibration


_CALIBRATION: dict[int, Any] = {}


def calibration_dataset(npc: int) -> Any:
    if npc in _CALIBRATION:
        return _CALIBRATION[npc]
    rng = np.random.default_rng(0)
    data = rng.random(400_000)

    def work(_: Any) -> np.float64:
        return np.float64(np.sort(data)[0])

    ds = tf.data.Dataset.range(1 << 40).map(  # noqa: TFP101 - the known-parallel reference
        lambda i: tf.numpy_function(work, [i], tf.float64), num_parallel_calls=npc
    )
    _CALIBRATION[npc] = ds
    return ds


def calibrate(meter: Meter, seconds: float, cores: int) -> dict[str, Any]:
    if cores < 2:
        return {"npc1": None, "npc2": None, "speedup": None, "other_cpu_cores": 0.0, "skipped": "one core"}
    w1 = meter.window(calibration_dataset(1), seconds, None, 0.05)
    w2 = meter.window(calibration_dataset(2), seconds, None, 0.05)
    speedup = w2.rate / w1.rate if w1.rate > 0 else 0.0
    return {
        "npc1": round(w1.rate, 2),
        "npc2": round(w2.rate, 2),
        "speedup": round(speedup, 3),
        "other_cpu_cores": round((w1.other_cpu_cores + w2.other_cpu_cores) / 2, 3),
        "cpu_cores_npc2": round(w2.cpu_cores, 3),
    }


# --------------------------------------------------------------------------------------- isolated replay


def element_nbytes(element: Any) -> int:
    total = 0
    for t in tf.nest.flatten(element):
        try:
            value = t.numpy()
            total += len(value) if isinstance(value, bytes) else int(getattr(value, "nbytes", 64))
        except Exception:  # noqa: BLE001
            total += 64
    return max(total, 1)


def cached_input(
    input_ds: Any, fill_seconds: float, max_bytes: int, max_elements: int
) -> tuple[Any, int, float]:
    """`input_ds.take(n).cache()`, read to the end once; n from a timed read of the input."""
    it = iter(input_ds)
    count = 0
    nbytes = 0
    end = time.perf_counter() + fill_seconds
    while time.perf_counter() < end and count < max_elements:
        try:
            element = next(it)
        except StopIteration:
            break
        except Exception as exc:  # noqa: BLE001
            raise UserError(exc) from exc
        if count == 0:
            nbytes = element_nbytes(element)
        count += 1
    del it
    if count == 0:
        raise EmptyDataset()
    n = max(8, min(count, max_bytes // max(nbytes, 1), max_elements))
    cached = input_ds.take(n).cache()
    start = time.perf_counter()
    filled = 0
    try:
        for _ in cached:
            filled += 1
    except Exception as exc:  # noqa: BLE001
        raise UserError(exc) from exc
    return cached, filled, time.perf_counter() - start


def stage_dataset(site: intercept.Site, cached: Any, level: str) -> Any:
    """The site's transformation alone, over the cached input repeated."""
    override, private = level_override(level)
    source = cached.repeat()
    kwargs = dict(site.kwargs)
    if site.method == "map":
        kwargs["num_parallel_calls"] = override.npc
        kwargs["use_unbounded_threadpool"] = override.unbounded
        kwargs.pop("name", None)
        ds = intercept.original("map")(source, site.fn, **kwargs)
    elif site.method == "interleave":
        kwargs["num_parallel_calls"] = override.npc
        kwargs.pop("name", None)
        ds = intercept.original("interleave")(source, site.fn, **kwargs)
    elif site.method == "map_and_batch" and site.factory is not None:
        kwargs["num_parallel_batches"] = None
        kwargs["num_parallel_calls"] = override.npc
        ds = source.apply(site.factory(site.fn, **kwargs))
    elif site.method == "parallel_interleave" and site.factory is not None:
        ds = source.apply(site.factory(site.fn, **kwargs))
    elif site.method == "filter":
        ds = intercept.original("filter")(source, site.fn)
    elif site.method == "flat_map":
        ds = intercept.original("flat_map")(source, site.fn)
    else:
        raise ValueError(site.method)
    if private:
        options = tf.data.Options()
        options.threading.private_threadpool_size = private
        ds = ds.with_options(options)
    return ds


def generator_copies(site: intercept.Site, k: int) -> Any:
    """k copies of the generator read through a parallel interleave (TFDATA_FACTS 6.12)."""
    call = dict(site.generator_call or {})
    make = intercept.original("from_generator")
    if k == 1:
        return make(**call)
    return tf.data.Dataset.range(k).interleave(
        lambda _: make(**call), cycle_length=k, block_length=1, num_parallel_calls=k
    )


SETTLED_SPREAD = 0.08  # every level's repeats within 8% of their median: a further round changes nothing


def _settled(rounds: list[tuple[bool, dict[str, Window]]], levels: list[str], needed: int) -> bool:
    trusted = [windows for ok, windows in rounds if ok]
    if len(trusted) < needed:
        return False
    for level in levels:
        rates = [windows[level].rate for windows in trusted]
        med = statistics.median(rates)
        if med <= 0 or (max(rates) - min(rates)) / med > SETTLED_SPREAD:
            return False
    return True


def sweep(
    meter: Meter,
    builders: dict[str, Callable[[], Any]],
    levels: list[str],
    repeat: int,
    seconds: float,
    max_elements: int | None,
    warmup: float,
    progress: Callable[[str], None],
    calibration: Callable[[], bool] | None = None,
    threadpool: Callable[[str], int | None] = lambda level: None,
    autotune_position: Callable[[], int | None] | None = None,
    extra_rounds: int = 0,
    on_extra_round: Callable[[int], None] | None = None,
    settled_after: int | None = None,
    on_settled: Callable[[int], None] | None = None,
) -> list[LevelStats]:
    """Build each level once (timed), then measure the levels round-robin, `repeat` rounds.

    `calibration()` runs before each round and says whether the machine lent its cores (TFDATA_FACTS 6.10).
    Rounds it does not trust are dropped when at least one round is trusted; when none is, up to
    `extra_rounds` more rounds are tried (`on_extra_round(n_windows)` announces each).

    With `settled_after=k`, the sweep stops after k trusted rounds when every level's rates already agree
    within `SETTLED_SPREAD`: more windows would not move the medians, only the wall time
    (`on_settled(n_windows_skipped)` announces it)."""
    stats: dict[str, LevelStats] = {}
    datasets: dict[str, Any] = {}
    for level in levels:
        start = time.perf_counter()
        datasets[level] = builders[level]()
        st = LevelStats(level, level_parallelism(level))
        st.build_seconds = time.perf_counter() - start
        st.threadpool_size = threadpool(level)
        stats[level] = st
    position_of_site = autotune_position() if autotune_position is not None else None
    rounds: list[tuple[bool, dict[str, Window]]] = []
    done = 0
    while done < repeat or (
        calibration is not None and not any(t for t, _ in rounds) and done < repeat + extra_rounds
    ):
        if done >= repeat and on_extra_round is not None:
            on_extra_round(len(levels))
        trusted = calibration() if calibration is not None else True
        windows: dict[str, Window] = {}
        for level in levels:
            position = position_of_site if level == "autotune" else -2
            w = meter.window(datasets[level], seconds, max_elements, warmup, position)
            windows[level] = w
            if w.autotuned is not None:
                stats[level].autotuned_value = w.autotuned
            progress(level)
        rounds.append((trusted, windows))
        done += 1
        if settled_after is not None and done < repeat and _settled(rounds, levels, settled_after):
            if on_settled is not None:
                on_settled((repeat - done) * len(levels))
            break
    keep = [w for t, w in rounds if t] or [w for _, w in rounds]
    for windows in keep:
        for level, w in windows.items():
            stats[level].windows.append(w)
    for level in levels:
        stats[level].rounds_dropped = len(rounds) - len(keep)
    return [stats[level] for level in levels]
