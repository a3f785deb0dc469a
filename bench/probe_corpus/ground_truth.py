"""Independent ground truth for the blind probe corpus (does not import tfpar_doctor).

For every labelled call site of a corpus pipeline, rebuild the whole pipeline with that one site's
parallelism forced to 1, 2 and tf.data.AUTOTUNE (every other site left as written) and measure the
throughput of the pipeline's output (elements/s as the caller sees them: batches when it batches).

How a site is overridden: tf.data.Dataset.map / interleave / flat_map / filter / from_generator are
wrapped before the pipeline is built; a call whose caller frame is FILE:LINE (the line of the method
attribute, which is what Python 3.11 reports as f_lineno for a method call) gets the override:
  - map, interleave: num_parallel_calls = 1 | 2 | AUTOTUNE (other arguments as written);
  - from_generator: "1" is the pipeline as written (one generator); "2" is two copies of the same
    generator read through interleave(cycle_length=2, num_parallel_calls=2); "autotune" is
    os.cpu_count() copies through interleave(num_parallel_calls=AUTOTUNE) (how-probe-measures 6.12);
  - filter, flat_map: TensorFlow has no parallelism knob; the pipeline is measured as written once per
    repeat and the same number is reported for all three levels ("knob": "none" in the details).

Each measurement: build the dataset, pull elements for a warm-up (default 1 s), then count elements in
a window (default 3 s). Levels are measured round-robin (1, 2, auto / 2, auto, 1 / ...), repeats
(default 3) and the median is reported. Each pipeline file runs in its own child process (TensorFlow
iterators over infinite datasets with Python callbacks can hang at interpreter exit; the child ends with
os._exit(0)). Results are merged into ground_truth.json ({file: {line: {"1": eps, "2": eps,
"autotune": eps}}}) and ground_truth_details.json (every run, process CPU, other processes' CPU).

Usage:
  python bench/probe_corpus/ground_truth.py                 # every p*.py in the corpus
  python bench/probe_corpus/ground_truth.py p06_remote_fetch.py p13_sort_features.py
  python bench/probe_corpus/ground_truth.py --site p02_json_events.py:57 --seconds 2 --repeats 1
Run it on a quiet machine: it measures throughput, so anything else running skews it.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LEVELS = ("1", "2", "autotune")
METHODS = ("map", "interleave", "flat_map", "filter", "from_generator")


# --------------------------------------------------------------------------------------------- parent
def _resolve(name: str) -> str:
    for cand in (name, os.path.join(HERE, name), os.path.join(HERE, os.path.basename(name))):
        if os.path.isfile(cand):
            return os.path.abspath(cand)
    raise SystemExit(f"no such pipeline file: {name}")


def _load_json(path: str) -> dict:
    try:
        with open(path) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {}


def _write_json(path: str, data: dict) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
        fh.write("\n")
    os.replace(tmp, path)


def parent(args: argparse.Namespace) -> int:
    labels = _load_json(os.path.join(HERE, "labels.json"))
    wanted: dict[str, list[int] | None] = {}
    for spec in args.site or []:
        fname, _, line = spec.rpartition(":")
        wanted.setdefault(_resolve(fname), []).append(int(line))
    for f in args.files:
        wanted.setdefault(_resolve(f), None)
    if not wanted:
        for f in sorted(glob.glob(os.path.join(HERE, "p[0-9]*.py"))):
            wanted[f] = None

    out_path = args.out or os.path.join(HERE, "ground_truth.json")
    details_path = os.path.splitext(out_path)[0] + "_details.json"
    summary = _load_json(out_path)
    details = _load_json(details_path)

    for path, lines in wanted.items():
        base = os.path.basename(path)
        if lines is None:
            lines = sorted(int(k) for k in labels.get(base, {}))
        if not lines:
            print(f"{base}: no labelled sites (pass --site {base}:LINE)", flush=True)
            continue
        tmp_out = os.path.join(HERE, f".gt_{os.getpid()}_{base}.json")
        cmd = [sys.executable, os.path.abspath(__file__), "--child", path, "--out", tmp_out,
               "--seconds", str(args.seconds), "--warmup", str(args.warmup),
               "--repeats", str(args.repeats), "--fn", args.fn, "--lines", ",".join(map(str, lines))]
        per_site = args.repeats * len(LEVELS) * (args.seconds + args.warmup + 15)
        timeout = 120 + per_site * len(lines)
        print(f"== {base}: sites {lines} (timeout {timeout:.0f} s)", flush=True)
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"))
        t0 = time.time()
        try:
            proc = subprocess.run(cmd, timeout=timeout, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
            status = f"exit {proc.returncode}"
            log = proc.stdout
        except subprocess.TimeoutExpired as exc:
            status = "timeout"
            log = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        for ln in log.splitlines():
            if ln.startswith("  ") or ln.startswith("!!"):
                print(ln, flush=True)
        res = _load_json(tmp_out)
        if os.path.exists(tmp_out):
            os.remove(tmp_out)
        if not res or status != "exit 0":
            print(f"   child {status} after {time.time() - t0:.0f} s; last output:\n"
                  + "\n".join(log.splitlines()[-15:]), flush=True)
        for line, rec in res.items():
            summary.setdefault(base, {})[line] = {lv: rec["median"][lv] for lv in LEVELS}
            details.setdefault(base, {})[line] = rec
        _write_json(out_path, summary)
        _write_json(details_path, details)

    print(f"\nwrote {out_path}")
    print(f"{'file':34s} {'line':>5s} {'1':>9s} {'2':>9s} {'auto':>9s} {'2/1':>6s} {'auto/1':>6s}")
    for path in wanted:
        base = os.path.basename(path)
        for line, rec in sorted(summary.get(base, {}).items(), key=lambda kv: int(kv[0])):
            one = rec["1"] or float("nan")
            print(f"{base:34s} {line:>5s} {rec['1']:9.1f} {rec['2']:9.1f} {rec['autotune']:9.1f}"
                  f" {rec['2'] / one:6.2f} {rec['autotune'] / one:6.2f}")
    return 0


# ---------------------------------------------------------------------------------------------- child
def _cpu_self() -> float:
    t = os.times()
    return t.user + t.system


def _cpu_all() -> float:
    """Busy CPU seconds of the whole machine (all processes), from /proc/stat."""
    try:
        with open("/proc/stat") as fh:
            parts = fh.readline().split()[1:]
        vals = [int(v) for v in parts]
        idle = vals[3] + (vals[4] if len(vals) > 4 else 0)
        return (sum(vals[:8]) - idle) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def child(args: argparse.Namespace) -> None:
    path = os.path.abspath(args.child)
    lines = [int(x) for x in args.lines.split(",") if x]
    sys.path.insert(0, os.path.dirname(path))

    import importlib.util
    import inspect

    import tensorflow as tf

    DS = tf.data.Dataset
    orig = {m: getattr(DS, m) for m in METHODS}
    state = {"line": None, "level": None, "seen": {}, "hit": 0}

    def level_value(level: str):
        return {"1": 1, "2": 2, "autotune": tf.data.AUTOTUNE}[level]

    def site_of(depth: int = 2):
        fr = sys._getframe(depth)
        if os.path.abspath(fr.f_code.co_filename) != path:
            return None
        return fr.f_lineno

    def make_parallel_wrapper(name):
        fn = orig[name]
        sig = inspect.signature(fn)

        def wrapper(self, *a, **kw):
            line = site_of()
            if line is not None:
                state["seen"].setdefault(line, name)
                if line == state["line"] and state["level"] is not None:
                    state["hit"] += 1
                    bound = sig.bind(self, *a, **kw)
                    bound.arguments["num_parallel_calls"] = level_value(state["level"])
                    return fn(*bound.args, **bound.kwargs)
            return fn(self, *a, **kw)

        wrapper.__name__ = name
        wrapper.__doc__ = fn.__doc__
        return wrapper

    def make_plain_wrapper(name):
        fn = orig[name]

        def wrapper(self, *a, **kw):
            line = site_of()
            if line is not None:
                state["seen"].setdefault(line, name)
                if line == state["line"]:
                    state["hit"] += 1
            return fn(self, *a, **kw)

        wrapper.__name__ = name
        wrapper.__doc__ = fn.__doc__
        return wrapper

    def from_generator(*a, **kw):
        line = site_of()
        fn = orig["from_generator"]
        if line is not None:
            state["seen"].setdefault(line, "from_generator")
            if line == state["line"] and state["level"] is not None:
                state["hit"] += 1
                if state["level"] != "1":
                    k = 2 if state["level"] == "2" else (os.cpu_count() or 2)
                    npc = 2 if state["level"] == "2" else tf.data.AUTOTUNE
                    return orig["interleave"](
                        DS.range(k), lambda _i: fn(*a, **kw), cycle_length=k, block_length=1,
                        num_parallel_calls=npc)
        return fn(*a, **kw)

    for m in ("map", "interleave"):
        setattr(DS, m, make_parallel_wrapper(m))
    for m in ("flat_map", "filter"):
        setattr(DS, m, make_plain_wrapper(m))
    DS.from_generator = staticmethod(from_generator)

    spec = importlib.util.spec_from_file_location("_gt_target", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["_gt_target"] = mod
    spec.loader.exec_module(mod)
    make_dataset = getattr(mod, args.fn)

    def measure():
        t_build = time.perf_counter()
        ds = make_dataset()
        it = iter(ds)
        build = time.perf_counter() - t_build
        t0 = time.perf_counter()
        next(it)
        first = time.perf_counter() - t0
        while time.perf_counter() - t0 < args.warmup:
            next(it)
        n = 0
        c_self, c_all = _cpu_self(), _cpu_all()
        t1 = time.perf_counter()
        end = t1 + args.seconds
        while True:
            next(it)
            n += 1
            now = time.perf_counter()
            if now >= end:
                break
        dt = now - t1
        used = (_cpu_self() - c_self) / dt
        others = max(0.0, (_cpu_all() - c_all) / dt - used)
        del it, ds
        return {"eps": n / dt, "n": n, "seconds": dt, "cpu_cores": used, "others_cores": others,
                "build_s": build, "first_element_s": first}

    # discovery build: which sites does the file really call?
    state["line"], state["level"] = None, None
    ds0 = make_dataset()
    del ds0
    print("  sites seen at build: " + ", ".join(f"{k}:{v}" for k, v in sorted(state["seen"].items())),
          flush=True)

    results: dict[str, dict] = {}
    for line in lines:
        method = state["seen"].get(line)
        if method is None:
            print(f"!! {os.path.basename(path)}:{line} is not a tf.data call site seen at build "
                  f"(seen: {sorted(state['seen'])})", flush=True)
            continue
        knob = method in ("map", "interleave", "from_generator")
        runs = {lv: [] for lv in LEVELS}
        for rep in range(args.repeats):
            order = LEVELS[rep % 3:] + LEVELS[:rep % 3]
            if not knob:
                order = ("1",)
            for lv in order:
                state["line"], state["level"], state["hit"] = line, lv, 0
                r = measure()
                r["overridden_calls"] = state["hit"]
                runs[lv].append(r)
                print(f"  {os.path.basename(path)}:{line} {method} level={lv:8s} rep={rep} "
                      f"{r['eps']:9.1f} el/s  cpu {r['cpu_cores']:.2f}  others {r['others_cores']:.2f}"
                      f"  first {r['first_element_s']:.2f}s", flush=True)
        if not knob:
            runs["2"] = runs["autotune"] = runs["1"]
        med = {lv: statistics.median(x["eps"] for x in runs[lv]) for lv in LEVELS}
        knob_name = ("none" if not knob else "generator copies via interleave"
                     if method == "from_generator" else "num_parallel_calls")
        results[str(line)] = {"method": method, "knob": knob_name, "median": med, "runs": runs,
                              "cpu_median": {lv: statistics.median(x["cpu_cores"] for x in runs[lv])
                                             for lv in LEVELS}}
        _write_json(args.out, results)
    _write_json(args.out, results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help="pipeline files (default: every p*.py of the corpus)")
    ap.add_argument("--site", action="append", help="FILE:LINE, only that site (repeatable)")
    ap.add_argument("--seconds", type=float, default=3.0, help="measuring window (s)")
    ap.add_argument("--warmup", type=float, default=1.0, help="warm-up before each window (s)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--fn", default="make_dataset", help="the pipeline function (default make_dataset)")
    ap.add_argument("--out", help="output JSON (default bench/probe_corpus/ground_truth.json)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--lines", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        code = 0
        try:
            child(args)
        except BaseException:  # noqa: BLE001 - report and leave without waiting for TF threads
            import traceback
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    rc = parent(args)
    sys.stdout.flush()
    os._exit(rc)


if __name__ == "__main__":
    main()
