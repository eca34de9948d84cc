"""Stage 1, ingestion: files in, articles out.

Reading files and their encodings (:mod:`.ingest`), splitting OCR'd newspaper pages into
articles (:mod:`.pages`), near-duplicates (:mod:`.dedup`), dates (:mod:`.dates`), bylines
(:mod:`.bylines`) and sentences (:mod:`.sentences`). Nothing here knows about entities.
"""
