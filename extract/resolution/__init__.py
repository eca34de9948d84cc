"""Stage 3, resolution: mentions in, entities out.

One entity per real-world thing however it is written (:mod:`.resolve`): aliases
(:mod:`.aliases`) and abbreviations (:mod:`.abbreviations`) are folded onto one id, and
the relations the text states are read off.
"""
