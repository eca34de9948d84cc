"""newskg's left half: text in, resolved mentions out.

Names are imported on first use (PEP 562), so ``import extract.errors`` (what
``newskg query`` needs) does not load the recogniser and its lexicons.

>>> from extract import ingest, recognise, resolve, split_sentences
>>> art = next(iter(ingest(["seeds/000_9a75527b5092d3dd.txt"])))
>>> mentions = resolve(recognise(art), art)
>>> all(art.text[m.start:m.end] == m.text for m in mentions)
True
"""

from extract.lazy import install

# public name -> the module that defines it
install(
    __name__,
    {
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
    },
)
