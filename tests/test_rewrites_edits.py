"""Edits of the user's own statements go only where they are valid.

- num_parallel_calls (and deterministic, use_unbounded_threadpool) only on the tf.data map/interleave/batch
  call the finding or the probe names, never on another call of the statement (a dataset constructor);
- cache() moves before the random map only within one block, never out of an `if`/`for`/`with`, and a
  deliberate `take(1).cache().repeat()` stays as it is;
- a lambda gets an identifier in generated code and is never named in an import.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from tfpar_doctor.advice.advisor import SiteInput, advise
from tfpar_doctor.advice.cache_move import CacheMove, move_cache
from tfpar_doctor.advice.edits import set_keywords
from tfpar_doctor.advice.source import code_name, lift_lambda
from tfpar_doctor.model import (
    BodyClass,
    Classification,
    Finding,
    LevelResult,
    Location,
    ProbeSite,
    Related,
    Severity,
    SiteResult,
    Verdict,
)

from .conftest import FIXTURES


def write(tmp_path: Path, source: str, name: str = "pipeline.py") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    return str(path)


def at(path: str, line: int, column: int) -> Location:
    return Location(path, line, column, line, column + 3)


def level(name: str, eps: float) -> LevelResult:
    return LevelResult(level=name, parallelism=None, elements_per_second=eps, spread=0.02, cpu_cores=1.0,
                       gil_contention=0.1, other_cpu_cores=0.0, repeats=3)


# ------------------------------------------------------------------------- num_parallel_calls

ARTIFICIAL = FIXTURES / "probe" / "artificial_dataset.py"  # the TF performance guide's pipeline


def guide_site() -> tuple[str, int, int]:
    """The guide's `ArtificialDataset(num_samples).repeat().map(mapped_function, ...)` line; the probe
    records where the whole call expression starts: at `ArtificialDataset`."""
    lines = ARTIFICIAL.read_text().splitlines()
    number = next(i for i, x in enumerate(lines, 1) if "ArtificialDataset(num_samples).repeat().map(" in x)
    return str(ARTIFICIAL), number, lines[number - 1].index("ArtificialDataset") + 1


def test_a_probed_chain_gets_the_keyword_on_its_map_not_on_the_dataset_constructor() -> None:
    path, line, column = guide_site()
    site = ProbeSite(path=path, line=line, method="map", function="mapped_function",
                     original_parallelism="autotune", runs_python=True, column=column)
    result = SiteResult(site=site, verdict=Verdict.SCALES, confidence=0.9, reasons=("rises",),
                        pipeline=[level("1", 60.0), level("2", 110.0)], best_level="2", best_speedup=1.8)
    advice = advise(SiteInput(at(path, line, column), [], result, cores=2))
    keep = next(a for a in advice if a.kind == "keep-parallelism")
    assert keep.code.splitlines()[-1] == ("return ArtificialDataset(num_samples).repeat()"
                                          ".map(mapped_function, num_parallel_calls=2)")
    wanted = {"num_parallel_calls": "16", "use_unbounded_threadpool": "True"}
    edit = set_keywords(at(path, line, column), wanted, "map", "mapped_function")
    assert edit is not None and "ArtificialDataset(num_samples, " not in edit.after
    assert "map(mapped_function, num_parallel_calls=16, use_unbounded_threadpool=True)" in edit.after


def test_no_tf_data_keyword_lands_on_a_call_that_is_not_the_named_method() -> None:
    path, line, column = guide_site()
    where = at(path, line, column)
    for method in (None, "ArtificialDataset", "repeat", "filter"):
        assert set_keywords(where, {"num_parallel_calls": "2"}, method) is None
    assert set_keywords(where, {"use_unbounded_threadpool": "True"}, "interleave") is None
    assert set_keywords(where, {"cycle_length": "2"}, "map") is None  # not a map keyword


def test_two_maps_on_one_line_are_told_apart_by_the_probed_function(tmp_path: Path) -> None:
    path = write(tmp_path, """
        import tensorflow as tf

        ds = tf.data.Dataset.range(8).map(load).map(augment)
    """)
    start = at(path, 3, 6)  # where the probe says the call expression starts
    assert set_keywords(start, {"num_parallel_calls": "4"}, "map") is None  # ambiguous: no edit at all
    edit = set_keywords(start, {"num_parallel_calls": "4"}, "map", "augment")
    assert edit is not None and edit.after == (
        "ds = tf.data.Dataset.range(8).map(load).map(augment, num_parallel_calls=4)")


def test_a_positional_parallelism_followed_by_more_arguments_is_changed_in_place(tmp_path: Path) -> None:
    path = write(tmp_path, """
        def make(ds, fn):
            ds = ds.interleave(fn, 4, 1, 2, True)
            return ds.map(fn, 2)
    """)
    interleave = set_keywords(at(path, 2, 13), {"num_parallel_calls": "8"}, "interleave")
    assert interleave is not None and interleave.after == "ds = ds.interleave(fn, 4, 1, 8, True)"
    mapped = set_keywords(at(path, 3, 15), {"num_parallel_calls": "8"}, "map")
    assert mapped is not None and mapped.after == "return ds.map(fn, num_parallel_calls=8)"


def test_add_parallelism_for_an_interleave_edits_the_interleave(tmp_path: Path) -> None:
    path = write(tmp_path, """
        import tensorflow as tf

        files = tf.data.Dataset.list_files("*.tfrecord")
        ds = files.interleave(tf.data.TFRecordDataset, cycle_length=4)
    """)
    found = Finding(code="TFP105", name="sequential-stateful-map", message="m", location=at(path, 4, 12),
                    severity=Severity.WARNING, call_site=at(path, 4, 12), advice_kinds=("add-parallelism",))
    (advice,) = advise(SiteInput(at(path, 4, 12), [found]))
    assert advice.code.splitlines()[-1] == (
        "ds = files.interleave(tf.data.TFRecordDataset, cycle_length=4, num_parallel_calls=tf.data.AUTOTUNE)")


# ----------------------------------------------------------------------------------- cache


def cache_finding(path: str, cache: Location, random_map: Location) -> Finding:
    return Finding(code="TFP005", name="cache-after-random-map", message="m", location=cache,
                   severity=Severity.ERROR, call_site=random_map, advice_kinds=("move-cache",))


def test_a_fake_data_loop_in_an_if_block_is_never_lifted_out(tmp_path: Path) -> None:
    # google/automl efficientdet dataloader.py: `dataset.take(1).cache().repeat()` under `if use_fake_data:`
    path = write(tmp_path, """
        def build(dataset, map_fn, use_fake_data):
          dataset = dataset.map(map_fn, num_parallel_calls=tf.data.AUTOTUNE)
          dataset = dataset.prefetch(tf.data.AUTOTUNE)
          if use_fake_data:
            # Turn this dataset into a semi-fake dataset which always loops at the first batch.
            dataset = dataset.take(1).cache().repeat()
          return dataset
    """)
    cache = at(path, 6, 31)
    assert ast.parse(Path(path).read_text()).body  # the input parses; the advice must not break that
    moved = move_cache(cache, at(path, 2, 21))
    assert isinstance(moved, str) and "fixed sample" in moved
    (advice,) = advise(SiteInput(at(path, 2, 21), [cache_finding(path, cache, at(path, 2, 21))]))
    assert advice.code == "" and "No edit is handed over" in advice.summary


def test_a_cache_in_another_block_than_the_random_map_is_left_to_the_user(tmp_path: Path) -> None:
    path = write(tmp_path, """
        def build(ds, augment, cache_it):
            ds = ds.map(augment)
            if cache_it:
                ds = ds.cache()
            return ds
    """)
    moved = move_cache(at(path, 4, 17), at(path, 2, 13))
    assert isinstance(moved, str) and "not in the same block" in moved


def test_a_cache_in_the_same_indented_block_moves_with_its_indentation(tmp_path: Path) -> None:
    path = write(tmp_path, """
        def build(ds, augment, training):
            if training:
                ds = ds.map(augment, num_parallel_calls=4)
                # shuffle per epoch
                ds = ds.shuffle(1000)
                ds = ds.cache()
            return ds
    """)
    moved = move_cache(at(path, 6, 17), at(path, 3, 17))
    assert isinstance(moved, CacheMove)
    assert moved.after.splitlines() == ["ds = ds.cache()", "ds = ds.map(augment, num_parallel_calls=4)",
                                        "# shuffle per epoch", "ds = ds.shuffle(1000)"]
    (advice,) = advise(SiteInput(at(path, 3, 17), [cache_finding(path, at(path, 6, 17), at(path, 3, 17))]))
    ast.parse(advice.code)


def test_a_cache_in_the_middle_of_a_later_chain_leaves_the_rest_of_it(tmp_path: Path) -> None:
    # google/automl efficientdet tf2/segmentation.py
    path = write(tmp_path, """
        train = dataset['train'].map(load_image_train, num_parallel_calls=AUTOTUNE)
        test = dataset['test'].map(load_image_test)

        train_dataset = train.cache().shuffle(1000).batch(batch_size).repeat()
    """)
    moved = move_cache(at(path, 4, 23), at(path, 1, 26))
    assert isinstance(moved, CacheMove)
    assert moved.after.splitlines() == [
        "train = dataset['train'].cache().map(load_image_train, num_parallel_calls=AUTOTUNE)",
        "test = dataset['test'].map(load_image_test)", "",
        "train_dataset = train.shuffle(1000).batch(batch_size).repeat()"]


def test_a_chain_with_the_cache_after_a_later_map_is_reordered(tmp_path: Path) -> None:
    # fixtures/rules/TFP005/positive_no_npc_and_cache.py
    path = write(tmp_path, """
        ds = (
            ds.map(random_augment)
            .map(normalize)
            .cache()
            .shuffle(1000)
        )
    """)
    moved = move_cache(at(path, 4, 6), at(path, 2, 8))
    assert isinstance(moved, CacheMove)
    assert moved.after == "ds = ds.cache().map(random_augment).map(normalize).shuffle(1000)"


# ----------------------------------------------------------------------------------- lambdas


def test_a_lambda_gets_an_identifier() -> None:
    assert code_name("lambda (line 1840)") == "_map_fn_1840"
    assert code_name("<lambda>", 12) == "_map_fn_12"
    assert code_name("Loader._load") == "_load"


def test_a_lambda_is_lifted_into_a_def_with_the_module_names_it_uses(tmp_path: Path) -> None:
    # magenta music_vae data.py: py_function over a lambda that calls a module-level import
    path = write(tmp_path, """
        import note_seq
        import tensorflow as tf

        def _tf_midi_to_note_sequence(ex):
            return tf.py_function(
                lambda x:  # pylint:disable=g-long-lambda
                [note_seq.midi_to_note_sequence(x.numpy()).SerializeToString()],
                inp=[ex['midi']],
                Tout=tf.string,
                name='midi_to_note_sequence')
    """)
    lifted = lift_lambda(f"{path}:lambda (line 6)")
    assert lifted is not None and lifted.name == "_map_fn_6" and lifted.free_names == ("note_seq",)
    assert lifted.definition == (
        "def _map_fn_6(x):\n    return [note_seq.midi_to_note_sequence(x.numpy()).SerializeToString()]")
    assert lift_lambda(f"{path}:_tf_midi_to_note_sequence") is None


def test_a_python_body_that_is_a_lambda_never_reaches_an_import(tmp_path: Path) -> None:
    path = write(tmp_path, """
        import tensorflow as tf

        def make(ds):
            return ds.map(lambda x: tf.py_function(lambda v: v.numpy() * 2, [x], tf.int64),
                          num_parallel_calls=4)
    """)
    found = Finding(code="TFP102", name="gil-bound-parallel-map", message="m", location=at(path, 4, 15),
                    severity=Severity.WARNING, call_site=at(path, 4, 15), function=f"{path}:lambda (line 4)",
                    related=(Related(at(path, 4, 29), "tf.py_function runs Python per element here"),),
                    classification=Classification(BodyClass.CPU, "lambda"),
                    advice_kinds=("tf-native", "multiprocessing"))
    for advice in advise(SiteInput(at(path, 4, 15), [found])):
        assert "lambda (line" not in advice.code
        ast.parse(advice.code)


def test_vectorising_a_lambda_map_writes_the_lambda_not_its_name(tmp_path: Path) -> None:
    path = write(tmp_path, """
        import tensorflow as tf

        def make(ds):
            ds = ds.map(lambda x: tf.cast(x, tf.float32) / 255.0)
            return ds
    """)
    found = Finding(code="TFP402", name="map-before-batch", message="m", location=at(path, 4, 13),
                    severity=Severity.INFO, call_site=at(path, 4, 13), advice_kinds=("vectorise",))
    (advice,) = advise(SiteInput(at(path, 4, 13), [found]))
    assert advice.code.splitlines()[-1] == (
        "ds = ds.map(lambda x: tf.cast(x, tf.float32) / 255.0, num_parallel_calls=tf.data.AUTOTUNE)")
    ast.parse(advice.code)
