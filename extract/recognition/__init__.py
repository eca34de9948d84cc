"""Stage 2, recognition: one tokenised document in, mentions out.

:mod:`.recognise` runs the pipeline over a :class:`newskg.extract.doc.Doc`: the rule
components (:mod:`.orgs`, :mod:`.people`, :mod:`.places`, :mod:`.campaigns`, :mod:`.events`,
:mod:`.reporters`) give candidates and hints, the trained tagger (:mod:`.tagger`, made by
:mod:`.train`) decides PERSON, PLACE and ORG. Lexicons are data files in ``extract/data/``,
read by :mod:`.lexicon`; the division table is :mod:`.divisions`. :mod:`.evaluate` scores a
recogniser on gold data.
"""
