"""Stage 4, building: articles in, the aggregated graph out.

:mod:`.build` drives a build: extraction of every article (:mod:`.extraction`, in processes
or on Dask: :mod:`.parallel`) with a cache (:mod:`.cache`), aggregation of counts
(:mod:`.aggregate`, :mod:`.cooccurrence`, :mod:`.nodes`, :mod:`.timeline`), the build's
state for updates (:mod:`.state`, :mod:`.update`) and analytics (:mod:`.analytics`).
"""
