"""newskg's left half: text in, resolved mentions out.

Names are imported on first use (PEP 562), so ``import newskg.extract.errors`` (what
``newskg query`` needs) does not load the recogniser and its lexicons.

>>> from newskg.extract import ingest, recognise, resolve, split_sentences
>>> art = next(iter(ingest(["seeds/000_9a75527b5092d3dd.txt"])))
>>> mentions = resolve(recognise(art), art)
>>> all(art.text[m.start:m.end] == m.text for m in mentions)
True
"""

from newskg.extract.lazy import install

# public name -> the module that defines it
install(
    __name__,
    {
        "Report": "newskg.extract.errors",
        "UserError": "newskg.extract.errors",
        "ingest": "newskg.extract.ingestion.ingest",
        "recognise": "newskg.extract.recognition.recognise",
        "ENTITY_TYPES": "newskg.extract.records",
        "Article": "newskg.extract.records",
        "BylinePerson": "newskg.extract.records",
        "Mention": "newskg.extract.records",
        "Relation": "newskg.extract.records",
        "Sentence": "newskg.extract.records",
        "entity_id": "newskg.extract.records",
        "resolve": "newskg.extract.resolution.resolve",
        "split_sentences": "newskg.extract.ingestion.sentences",
    },
)
