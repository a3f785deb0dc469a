"""Measuring windows, level sweeps, calibration and the isolated replay (child process only).

Pitfalls handled here (§6): each level is built once and its build time recorded apart
from the windows; every window starts from a fresh iterator with a warm-up excluded from the count; levels are
measured round-robin; process CPU, other processes' CPU and GIL contention are recorded per window; a
known-parallel reference is timed before each round; the isolated replay reads `take(n).cache()` to the end
before measuring.

Section numbers (§) refer to docs/how-probe-measures.md.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import psutil
import tensorflow as tf

from tfpar_doctor.probe import intercept
from tfpar_doctor.probe.phases import Timeline

AUTOTUNE = tf.data.AUTOTUNE
MIN_WINDOW_ELEMENTS = 5
RSS_EVERY = 0.05  # seconds between resident-memory samples inside a window (psutil: ~10 us a sample)


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
    epochs: int = 0  # times the dataset ran out inside the window (warm-up included) and was restarted
    autotuned: int | None = None
    peak_rss: int | None = None  # this process's peak resident memory during the window, bytes

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
            "peak_rss_bytes": max((w.peak_rss for w in self.windows if w.peak_rss), default=None),
            "restarts": sum(w.epochs for w in self.windows),
        }

    def round_dicts(self) -> list[dict[str, Any]]:
        """One `as_dict` per window: the level as each round alone measured it."""
        out = []
        for w in self.windows:
            one = LevelStats(self.level, self.parallelism, [w], self.build_seconds, self.threadpool_size)
            one.autotuned_value = self.autotuned_value
            out.append(one.as_dict())
        return out


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
    def __init__(self, with_children: bool = False, timeline: Timeline | None = None) -> None:
        self.proc = psutil.Process()
        self.timeline = timeline  # counts each window, and its measured part, in the phase open then
        # Count the CPU of live child processes (a process pool's workers) as ours, not as other load.
        self.with_children = with_children
        self.knocker = None
        try:
            from gilknocker import KnockKnock

            self.knocker = KnockKnock(polling_interval_micros=1000)
        except Exception:  # noqa: BLE001 - contention is optional
            self.knocker = None
        self.first_element: Any = None  # the first element of the last window (its size is reported)
        # The most CPU other processes (and the hypervisor, as steal) took in any window since the last reset:
        # whether the machine stayed as quiet as when it was last calibrated.
        self.busiest_other = 0.0

    def window(
        self,
        ds: Any,
        seconds: float,
        max_elements: int | None,
        warmup: float,
        autotune_position: int | None = -2,
        contention: bool = True,
    ) -> Window:
        """One measuring window. `contention=False` for windows whose GIL contention nothing reads (the
        calibration's, the first elements'): gilknocker's stop() sleeps 100 ms, saved on each of them."""
        knocker = self.knocker if contention else None
        start = time.perf_counter()
        it = iter(ds)
        try:
            self.first_element = next(it)
        except StopIteration:
            raise EmptyDataset() from None
        except tf.errors.OutOfRangeError:
            raise EmptyDataset() from None
        except Exception as exc:  # noqa: BLE001
            raise UserError(exc) from exc
        first = time.perf_counter() - start
        epochs = 0
        # The pipeline runs `warmup` seconds before measuring, counted from the iterator's creation: a first
        # element that took longer already ran it that long (slow pipelines: one element less to wait for).
        deadline = start + warmup
        try:
            while time.perf_counter() < deadline:
                try:
                    next(it)
                except StopIteration:
                    epochs += 1
                    it = iter(ds)
            count = 0
            if knocker is not None:
                knocker.reset_contention_metric()
                knocker.start()
            # The CPU is read over its own interval, which brackets the loop and nothing else: the knocker's
            # start and stop stay outside it. Its stop can take a polling period while TensorFlow's threads
            # go on filling buffers, and counting that CPU over the loop's wall time read a stage at the
            # cores as more than the cores.
            cpu_start = time.perf_counter()
            cpu0 = self.proc.cpu_times()
            kids0 = self._children_cpu()
            sys0 = psutil.cpu_times()
            t0 = time.perf_counter()
            end = t0 + seconds
            hard_end = t0 + 4 * seconds  # slow pipelines: wait for a few elements, within limits
            now = t0
            limit = max_elements or (1 << 62)
            peak = self.proc.memory_info().rss
            next_rss = t0 + RSS_EVERY
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
                if now >= next_rss:
                    peak = max(peak, self.proc.memory_info().rss)
                    next_rss = now + RSS_EVERY
            wall = now - t0
            cpu1 = self.proc.cpu_times()
            kids1 = self._children_cpu()
            sys1 = psutil.cpu_times()
            cpu_wall = time.perf_counter() - cpu_start
            peak = max(peak, self.proc.memory_info().rss)
            gil = None
            if knocker is not None:
                knocker.stop()
                gil = float(knocker.contention_metric)
            autotuned = autotuned_parallelism(it, autotune_position) if autotune_position != -2 else None
        except (StopIteration, EmptyDataset):
            raise
        except Exception as exc:  # noqa: BLE001
            if knocker is not None and knocker.is_running:
                knocker.stop()
            raise UserError(exc) from exc
        finally:
            del it
        ours = (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system) + max(0.0, kids1 - kids0)
        busy = _busy(sys1) - _busy(sys0)
        wall = max(wall, 1e-9)
        cpu_wall = max(cpu_wall, 1e-9)
        stolen = getattr(sys1, "steal", 0.0) - getattr(sys0, "steal", 0.0)
        self.busiest_other = max(self.busiest_other, (max(0.0, busy - ours) + max(0.0, stolen)) / cpu_wall)
        if self.timeline is not None:
            self.timeline.window(wall)
        return Window(
            elements=count,
            wall=wall,
            cpu_cores=ours / cpu_wall,
            other_cpu_cores=max(0.0, (busy - ours) / cpu_wall),
            gil=gil,
            first_element=first,
            epochs=epochs,
            autotuned=autotuned,
            peak_rss=peak,
        )

    def _children_cpu(self) -> float:
        """User + system seconds of the live child processes (0 unless `with_children`)."""
        total = 0.0
        if self.with_children:
            for child in self.proc.children(recursive=True):
                try:
                    times = child.cpu_times()
                except psutil.Error:  # exited since listed
                    continue
                total += times.user + times.system
        return total


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


# --------------------------------------------------------------------------------------- the pipeline


# Dataset classes (by name, lower case) that turn elements into batches; unbatch/rebatch end the search.
_BATCHING = ("batch", "bucket", "groupbywindow", "window")
_UNBATCHING = ("unbatch",)


def yields_batches(ds: Any, limit: int = 200) -> bool:
    """Whether the pipeline's elements are batches: the nearest batching transformation from the output
    (`batch`, `padded_batch`, `ragged_batch`, `map_and_batch`, `bucket_by_sequence_length`) comes before any
    `unbatch`. Throughput is then in batches per second, not elements."""
    node = ds
    for _ in range(limit):
        name = type(node).__name__.lower().replace("_", "")
        if any(word in name for word in _UNBATCHING):
            return False
        if any(word in name for word in _BATCHING):
            return True
        try:
            inputs = node._inputs()
        except Exception:  # noqa: BLE001 - a dataset class without inputs: a source
            return False
        if not inputs:
            return False
        node = inputs[0]
    return False


def cardinality(ds: Any) -> int | None:
    """The number of elements of a finite dataset when TensorFlow knows it (None: infinite or unknown)."""
    try:
        n = int(ds.cardinality())
    except Exception:  # noqa: BLE001
        return None
    return n if n >= 0 else None


def user_threadpool(ds: Any) -> int | None:
    """The private thread pool the user's pipeline sets, if any."""
    try:
        return ds.options().threading.private_threadpool_size or None
    except Exception:  # noqa: BLE001
        return None


def ram_budget(ds: Any) -> int | None:
    """`options.autotune.ram_budget` when the pipeline sets it."""
    try:
        return ds.options().autotune.ram_budget or None
    except Exception:  # noqa: BLE001
        return None


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
    w1 = meter.window(calibration_dataset(1), seconds, None, 0.05, contention=False)
    w2 = meter.window(calibration_dataset(2), seconds, None, 0.05, contention=False)
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
    """`input_ds.take(n).cache()`, filled once; n is what the input gives in `fill_seconds` (at least 8, at
    most `max_elements` and `max_bytes`).

    The fill runs inside tf.data (`reduce`, a `tf.timestamp()` deadline in `take_while` before the cache): a
    Python loop over the elements costs ~0.2 ms each in eager mode, which for a fast source was the whole
    fill time (3,100 range elements in 0.6 s, against 4,000 in 0.78 s for a plain read). Once filled, the
    cache replays from memory and never evaluates the deadline again."""
    start = time.perf_counter()
    try:
        nbytes = element_nbytes(next(iter(input_ds.take(1))))
    except StopIteration:
        raise EmptyDataset() from None
    except Exception as exc:  # noqa: BLE001
        raise UserError(exc) from exc
    cap = max(MIN_CACHED, min(max_elements, max_bytes // max(nbytes, 1)))
    # set when the fill starts, after tracing: tf.timestamp() is seconds since the epoch, like time.time()
    deadline = tf.Variable(0.0, dtype=tf.float64, trainable=False)

    @tf.autograph.experimental.do_not_convert  # plain TF ops: AutoGraph would only add tracing time
    def in_time(index: Any, element: Any) -> Any:
        return tf.logical_or(index < MIN_CACHED, tf.timestamp() < deadline)

    cached = input_ds.take(cap).enumerate().take_while(in_time).map(_element_of).cache()
    try:
        deadline.assign(time.time() + fill_seconds)
        filled = int(cached.reduce(np.int64(0), _count))
    except Exception as exc:  # noqa: BLE001
        raise UserError(exc) from exc
    return cached, filled, time.perf_counter() - start


MIN_CACHED = 8  # cached input elements at least, however slow the source


@tf.autograph.experimental.do_not_convert
def _element_of(index: Any, element: Any) -> Any:
    return element


@tf.autograph.experimental.do_not_convert
def _count(n: Any, element: Any) -> Any:
    return n + 1


def stage_dataset(site: intercept.Site, cached: Any, level: str) -> Any:
    """The site's transformation alone, over the cached input repeated."""
    override, private = level_override(level)
    override = override or intercept.Override(AUTOTUNE)  # "as-written" is never a stage-alone level
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
    """k copies of the generator read through a parallel interleave (§6.12)."""
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


class Sweep:
    """The levels of one curve, each built once (timed), measured round-robin one round at a time.

    `calibration()` runs before each round and says whether the machine lent its cores (§6.10):
    rounds it does not trust are left out of the statistics when at least one round is trusted. The builds
    and each level's windows are phases of `timeline`, named by `curve` ("pipeline", "alone") and level."""

    def __init__(
        self,
        meter: Meter,
        builders: Mapping[str, Callable[[], Any]],
        levels: list[str],
        seconds: float,
        max_elements: int | None,
        warmup: float,
        progress: Callable[[str], None],
        calibration: Callable[[], bool] | None = None,
        threadpool: Callable[[str], int | None] = lambda level: None,
        autotune_position: Callable[[], int | None] | None = None,
        timeline: Timeline | None = None,
        curve: str = "pipeline",
    ) -> None:
        self.meter = meter
        self.timeline = timeline or Timeline()
        self.curve = curve
        self.levels = list(levels)
        self.seconds = seconds
        self.max_elements = max_elements
        self.warmup = warmup
        self.progress = progress
        self.calibration = calibration
        self.level_stats: dict[str, LevelStats] = {}
        self.datasets: dict[str, Any] = {}
        with self.timeline.phase("rebuilds", curve):
            for level in self.levels:
                start = time.perf_counter()
                self.datasets[level] = builders[level]()
                st = LevelStats(level, level_parallelism(level))
                st.build_seconds = time.perf_counter() - start
                st.threadpool_size = threadpool(level)
                self.level_stats[level] = st
            self.position = autotune_position() if autotune_position is not None else None
        self.rounds: list[tuple[bool, dict[str, Window]]] = []

    @property
    def trusted_rounds(self) -> int:
        return sum(1 for ok, _ in self.rounds if ok)

    def round(self, phase: str = "windows") -> bool:
        """Measure every level once; True when the calibration before it trusted the machine. `phase`:
        "windows" for the first rounds, "extra rounds" for those added to settle the evidence."""
        trusted = self.calibration() if self.calibration is not None else True
        windows: dict[str, Window] = {}
        for level in self.levels:
            position = self.position if level == "autotune" else -2
            ds = self.datasets[level]
            with self.timeline.phase(phase, f"{self.curve} {level}"):
                w = self.meter.window(ds, self.seconds, self.max_elements, self.warmup, position)
            windows[level] = w
            if w.autotuned is not None:
                self.level_stats[level].autotuned_value = w.autotuned
            self.progress(level)
        self.rounds.append((trusted, windows))
        return trusted

    def settled(self, needed: int) -> bool:
        return _settled(self.rounds, self.levels, needed)

    def stats(self) -> list[LevelStats]:
        """Per level, the windows of the trusted rounds (of all rounds when none was trusted)."""
        keep = [w for t, w in self.rounds if t] or [w for _, w in self.rounds]
        out = []
        for level in self.levels:
            base = self.level_stats[level]
            st = LevelStats(level, base.parallelism, [windows[level] for windows in keep], base.build_seconds,
                            base.threadpool_size, base.autotuned_value, len(self.rounds) - len(keep))
            out.append(st)
        return out


def sweep(
    meter: Meter,
    builders: Mapping[str, Callable[[], Any]],
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
    """A `Sweep` of `repeat` rounds, as one call.

    When no round could be trusted, up to `extra_rounds` more are tried (`on_extra_round(n_windows)` announces
    each). With `settled_after=k`, it stops after k trusted rounds when every level's rates already agree
    within `SETTLED_SPREAD` (`on_settled(n_windows_skipped)` announces it)."""
    sw = Sweep(meter, builders, levels, seconds, max_elements, warmup, progress, calibration, threadpool,
               autotune_position)
    done = 0
    retry = calibration is not None
    while done < repeat or (retry and not sw.trusted_rounds and done < repeat + extra_rounds):
        if done >= repeat and on_extra_round is not None:
            on_extra_round(len(levels))
        sw.round()
        done += 1
        if settled_after is not None and done < repeat and sw.settled(settled_after):
            if on_settled is not None:
                on_settled((repeat - done) * len(levels))
            break
    return sw.stats()
