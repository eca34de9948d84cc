"""newskg's left half: text in, resolved mentions out.

>>> from extract import ingest, recognise, resolve, split_sentences
>>> art = next(iter(ingest(["seeds/000_9a75527b5092d3dd.txt"])))
>>> mentions = resolve(recognise(art), art)
>>> all(art.text[m.start:m.end] == m.text for m in mentions)
True
"""

from extract.errors import Report, UserError
from extract.ingest import ingest
from extract.recognise import recognise
from extract.records import ENTITY_TYPES, Article, BylinePerson, Mention, Relation, Sentence, entity_id
from extract.resolve import resolve
from extract.sentences import split_sentences

__all__ = [
    "ENTITY_TYPES",
    "Article",
    "BylinePerson",
    "Mention",
    "Relation",
    "Report",
    "Sentence",
    "UserError",
    "entity_id",
    "ingest",
    "recognise",
    "resolve",
    "split_sentences",
]
