"""The document every recogniser receives: an article with its one segmentation.

Like spaCy's ``Doc``, a :class:`Doc` is made once per article (:func:`make_doc`) and
handed to every component of the pipeline, so the rules and the tagger read the same
tokens and the text is segmented once.

>>> from newskg.extract.records import Article
>>> d = make_doc(Article(id="a", source="", title="", text="湖北省襄阳市"))
>>> [t.text for t in d.tokens], d.id
(['湖北省', '襄阳市'], 'a')
"""

from __future__ import annotations

from dataclasses import dataclass

from newskg.extract.recognition.tokens import Token, tokenize
from newskg.extract.records import Article, BylinePerson


@dataclass(frozen=True, slots=True)
class Doc:
    """An article and its tokens (``tokens`` cover ``article.text`` exactly); ``starts`` are
    the tokens' start offsets, for finding the token at an offset by bisection."""

    article: Article
    tokens: tuple[Token, ...]
    starts: tuple[int, ...] = ()

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def byline(self) -> tuple[BylinePerson, ...]:
        return self.article.byline


def make_doc(article: Article) -> Doc:
    """Segment ``article`` once into a :class:`Doc`."""
    tokens = tokenize(article.text)
    return Doc(article, tokens, tuple(t.start for t in tokens))
