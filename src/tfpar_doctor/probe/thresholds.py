"""Every number the probe's verdicts and its adaptive measuring compare against, in one place.

Each comes with where it came from: a measurement in docs/how-probe-measures.md, cited by section as §N
(2-core box, TF 2.21, medians of 3 idle runs), a recorded probe run that a neighbouring value got wrong, or
the physics of the signature. Moving one changes verdicts: re-run `bench/probe_corpus/score_probe.py` and
`bench/probe_stability.py` over the whole corpus (never judge a move on one run) and write the result in the
commit.
"""

from __future__ import annotations

# ---- curve shape ------------------------------------------------------------------------------------------
# GIL-bound Python measured 0.88-1.07x over npc=1 at every level (§2), and one 1-s window on a 2-core VM
# moves by up to ~10%: below 1.15x no level gained anything real.
FLAT = 1.15
# AUTOTUNE alone above the flat numeric levels by less than this is a lone noisy window, not scaling
# (recorded: a GIL-bound map read 1.22x at AUTOTUNE once, 1.0x at 2).
AUTOTUNE_FLAT = 1.25
# More parallelism made the stage this much slower: the threads fight over one lock (§2: pure Python
# that calls TF per iteration fell to 0.52x at npc=2).
FELL = 0.85
# Below this best speed-up a flat, unexplained curve is `inconclusive`, above it `partial`.
PARTIAL_MIN = 1.05
# Rising curves: at or above this share of the ideal speed-up (min(cores, level)) a stage `scales`
# (np.sort in numpy_function: 1.92-2.0x of 2, §2; a 0.75 share leaves room for one noisy window).
SCALES_SHARE = 0.75
# A waiting stage (sleep, I/O) capped by the pool reaches 1.9x of 2 (§3); 0.7 of the ideal is "near it".
NEAR_IDEAL = 0.7
# Process CPU below this share of the cores it could use, while rising: the stage waits, it does not compute
# (sleeping py_function: 6% CPU, §2).
WAITING_SHARE = 0.5
# A stage whose process CPU reaches this share of the cores already uses them (§6.11: tf.image.resize
# ~1.9 cores at npc=1).
SATURATED_SHARE = 0.75

# ---- CPU and the GIL --------------------------------------------------------------------------------------
# gilknocker reads ~0.8 for CPU-bound Python threads and ~0.001 for sleeping ones (§6.9); 0.3 sits well
# clear of both. It reads 0.08-0.12 for a GIL-bound body that drops the GIL for short TF calls: hence the
# other GIL-bound signatures, which do not rely on contention.
HIGH_CONTENTION = 0.3
SOME_CONTENTION = 0.15  # enough contention to back a one-core curve (never decisive alone)
# "About one core": GIL-bound Python runs at 100-110% process CPU (§2); TF's own threads add ~0.25.
ONE_CORE_MIN = 0.75
ONE_CORE_STRICT = 1.2
ONE_CORE_MAX = 1.35
# More throughput with no more CPU than at npc=1 (x this) while the GIL is contended is not parallel work
# (CI recorded 1.16x at 1.06 cores, contention 0.72 for a GIL-bound generator: commit 0fe4a60).
NO_MORE_CPU = 1.15
# Native kernels already using more than one core at npc=1 (§6.11): the gain then shows small.
NATIVE_MULTICORE = 1.15
# The same Python function in a process pool this much faster than serially: it parallelises across
# processes, not threads (§5: 1.84-1.93x with 2 workers).
PROCESSES_SCALE = 1.4

# ---- not the bottleneck ------------------------------------------------------------------------------------
# The stage alone at npc=1 this many times faster than the pipeline needs from it: something else limits.
NOT_BOTTLENECK_FACTOR = 1.5
# Two Python stages share one GIL: each alone is faster than the whole, yet each counts; demand more headroom.
GIL_SHARED_FACTOR = 3.0
# With this much headroom the stage is not the bottleneck whatever the pipeline curve did (noise elsewhere).
BIG_HEADROOM = 5.0
# The stage alone scales this much while the pipeline stays flat: another stage limits the pipeline.
ISOLATED_SCALES = 1.3

# ---- thread pools ------------------------------------------------------------------------------------------
# A private/unbounded pool this much faster than the best level within the default pool lifts a real cap
# (§3: 13.6x; the guide's ArtificialDataset map: 7.5x); below it the wait is elsewhere.
POOL_GAIN = 1.3
# AUTOTUNE no faster than the top numeric level (within this) says the default pool caps it.
AUTOTUNE_NO_FASTER = 1.15
RECOMMEND_WITHIN = 0.07  # recommend the lowest level within 7% of the best (always within 10% of the best)

# ---- the machine -------------------------------------------------------------------------------------------
# The np.sort calibration reference at npc=2 over npc=1 (expected ~1.9x on 2 idle cores, §6.10).
CALIBRATION_ONE_CORE = 1.25  # below: the machine lent about one core, a flat curve proves nothing
CALIBRATION_POOR = 1.2  # confidence -0.35
CALIBRATION_WEAK = 1.6  # confidence -0.15, and rising curves are judged against what it lent
TRUSTED_CALIBRATION = 1.5  # a round measured after a reference below this is dropped when others are trusted
# Other processes' CPU as a share of the cores while a computing stage was measured.
BUSY_UNRELIABLE = 0.5  # the verdict becomes `inconclusive`
BUSY_HIGH = 0.25
BUSY_SOME = 0.1
BUSY_WAITING = 0.75  # a waiting stage barely notices load; only this much costs it confidence
NEEDS_CPU_SHARE = 0.3  # a stage using this share of the cores computes (load affects it)
# Median spread (max - min) / median of the windows of a level.
SPREAD_UNRELIABLE = 0.6
SPREAD_WIDE = 0.3
SPREAD_SOME = 0.15

# ---- what cannot be measured -------------------------------------------------------------------------------
# A speed-up above the cores x this, for a stage that computes (CPU >= SATURATED_SHARE of the cores), is
# physically impossible: the windows measured something else (a 16-volume dataset restarting inside them gave
# 3.1-3.5x on 2 cores; with 48 volumes 1.88x).
IMPOSSIBLE_SPEEDUP = 1.2
# A finite dataset of which one window (warm-up included) read more than this share: every window starts a
# fresh iterator, so its start-up and its end fall inside the window (the 16-volume CT set on 2 cores).
SHORT_SHARE = 0.5

# ---- adaptive measuring ------------------------------------------------------------------------------------
# One measuring window of the whole pipeline (the stage alone: half, at least 0.3 s; the calibration 0.25 s).
# 0.8 s keeps a one-site probe under 20 s on 2 cores (TF import ~5.5 s + 2 rounds of 3 levels + the stage
# alone); noisy windows are caught by the per-round verdicts below, which add rounds, not by longer windows.
WINDOW_SECONDS = 0.8
CALIBRATION_SECONDS = 0.25
# A trusted calibration is reused for the next round (instead of ~0.9 s of measuring it again) while every
# window since saw other processes and steal take at most BUSY_SOME of the cores, and for at most this long:
# what it guards against (a machine that stops lending its cores) shows as other CPU or steal first.
CALIBRATION_REUSE_SECONDS = 30.0
MIN_ROUNDS = 1  # rounds of the varied curve before judging whether the evidence is decisive
# One round decides only when it sits clear of every edge: the verdict stays the same with each level's rate
# (and CPU) moved by WINDOW_NOISE either way, in every combination. Otherwise EDGE_ROUNDS rounds must agree.
# 0.05 a window, so that a ratio of two windows moves by up to ~10%: the window-to-window movement the FLAT
# note above measured on an idle 2-core VM (a flat 1.0x curve stays clear of FLAT; 1.16x does not).
WINDOW_NOISE = 0.05
EDGE_ROUNDS = 2
# Beyond this many levels the 2^n perturbations are not tried: the site is measured EDGE_ROUNDS times instead.
MAX_PERTURBED_LEVELS = 10
MAX_ROUNDS = 5  # rounds at most: after that a split is `inconclusive` (or a majority, less sure)
MAJORITY = 0.6  # share of the rounds that must agree with the verdict of all rounds together
SPLIT_PENALTY = 0.25  # confidence lost when the rounds only agree by majority

# The rewritten pipeline (process pool) over the pipeline as written, both measured by `probe
# --verify-rewrite` at the user's own parallelism: below this the rewrite is not recommended. Whole-pipeline
# windows of one run differ by up to ~7% (RECOMMEND_WITHIN), and the rewrite adds worker processes and a new
# module to maintain, so a gain inside that noise plus a margin does not pay for it.
REWRITE_BEATS = 1.1
