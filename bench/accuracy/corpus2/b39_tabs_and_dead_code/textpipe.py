"""Imitates an old research repo with tab indentation and idiosyncratic spacing:
`AUTOTUNE = -1` as a literal, spaces around keyword `=`, a lambda with three arguments
calling a CPU-bound py_function, commented-out pipeline lines, and a never-called
`_old_pipeline` (dead code is still code) that maps an I/O py_function sequentially."""
import re

import tensorflow as tf

AUTOTUNE = -1
_WS = re.compile(r"\s+")

def _cpu_fn(a, b, c):
	s = (a.numpy().decode() + " " + b.numpy().decode()).lower()
	words = _WS.split(s)
	counts = {}
	for w in words:
		counts[w] = counts.get(w, 0) + 1
	score = sum(v * v for v in counts.values()) / max(1, len(words))
	return [int(score * 1000) + int(c)]

def _read_txt(p):
	with open(p.numpy().decode()) as fh:
		return fh.read()

def pipeline( titles , bodies , ids ):
	ds = tf.data.Dataset.from_tensor_slices( ( titles , bodies , ids ) )
	#ds = ds.map(lambda a, b, c: (a, b), num_parallel_calls=8)
	ds = ds.map( lambda a,b,c : tf.py_function( _cpu_fn ,[a,b,c], [tf.int32]) , num_parallel_calls = AUTOTUNE )  # expect: TFP101, TFP102
	# ds = ds.cache()
	return ds.batch( 128 )

def _old_pipeline( paths ):
	ds = tf.data.Dataset.from_tensor_slices( paths )
	ds = ds.map( lambda p : tf.py_function( _read_txt , [p] , tf.string ) )  # expect: TFP101, TFP105
	return ds
