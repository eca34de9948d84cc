"""Stage 6, querying a build: SPARQL (:mod:`.sparql`), the HTTP endpoint and linked data
(:mod:`.serve`, :mod:`.linked_data`) and the notebook helpers (:mod:`.analysis`). Readers: nothing
here writes to a build.
"""
