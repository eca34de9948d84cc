"""newskg's left half: text in, resolved mentions out.

Names are imported on first use (PEP 562), so ``import extract.errors`` (what
``newskg query`` needs) does not load the recogniser and its lexicons.

>>> from extract import ingest, recognise, resolve, split_sentences
>>> art = next(iter(ingest(["seeds/000_9a75527b5092d3dd.txt"])))
>>> mentions = resolve(recognise(art), art)
>>> all(art.text[m.start:m.end] == m.text for m in mentions)
True
"""

from importlib import import_module

# public name -> the module that defines it
_WHERE = {
    "Report": "extract.errors",
    "UserError": "extract.errors",
    "ingest": "extract.ingest",
    "recognise": "extract.recognise",
    "ENTITY_TYPES": "extract.records",
    "Article": "extract.records",
    "BylinePerson": "extract.records",
    "Mention": "extract.records",
    "Relation": "extract.records",
    "Sentence": "extract.records",
    "entity_id": "extract.records",
    "resolve": "extract.resolve",
    "split_sentences": "extract.sentences",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'extract' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
