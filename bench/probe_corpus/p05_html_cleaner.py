"""Web-crawl language-model data: strip markup and boilerplate from scraped pages in Python."""

import re

import tensorflow as tf

import _helpers_text as text_utils

BOILERPLATE = re.compile(r"(cookie policy|subscribe to our newsletter|all rights reserved|share this)", re.I)
SCRIPT_RE = re.compile(r"<script.*?</script>", re.S)
ENTITY_RE = re.compile(r"&(amp|lt|gt|quot|nbsp);")
ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "nbsp": " "}


def _fake_page(i, n_paragraphs=180):
    body = []
    for j in range(n_paragraphs):
        words = " ".join(text_utils.WORDS[(i * 7 + j * 13 + k) % len(text_utils.WORDS)] for k in range(40))
        body.append(f"<p class='c{j}'>{words} &amp; more &quot;text&quot;</p>")
        if j % 9 == 0:
            body.append("<div>Subscribe to our newsletter | Cookie policy</div>")
            body.append("<script>var x = 1; track('page');</script>")
    return "<html><body>" + "\n".join(body) + "</body></html>"


@tf.py_function(Tout=tf.string)
def clean_page(raw):
    html = raw.numpy().decode("utf-8", errors="ignore")
    html = SCRIPT_RE.sub(" ", html)
    html = ENTITY_RE.sub(lambda m: ENTITIES[m.group(1)], html)
    lines = []
    for block in re.split(r"</p>|</div>|\n", html):
        if BOILERPLATE.search(block):
            continue
        line = text_utils.normalize_text(block)
        if len(line.split()) >= 5:
            lines.append(line)
    return "\n".join(lines).encode("utf-8")


def make_dataset(batch_size=8):
    pages = [_fake_page(i) for i in range(256)]
    ds = tf.data.Dataset.from_tensor_slices(pages).repeat()
    ds = ds.map(clean_page, num_parallel_calls=8)
    ds = ds.batch(batch_size)
    return ds.prefetch(2)
