"""Rendering on a Dask cluster: ``python -m lecture build --cluster tcp://HOST:8786``.

A segment's render is a pure job keyed by its input hash, so where it runs never changes what it
makes (the habit taken from dask/distributed). With ``--cluster`` (or ``[cluster] address`` in the
render settings) the build sends every render to the cluster's workers instead of running it here;
the speech of its lines is made in the same job, on the same worker. Stitching, captions, the
questions, the page and the deck stay here.

- :mod:`lecture.cluster.connection`: the client side: connect (an unreachable scheduler is one line
  and exit code 2 before any work), refuse workers whose code or tools differ from the build's,
  send each job with what it needs, store what comes back in the caches, report progress.
- :mod:`lecture.cluster.jobs`: what a job carries and what a worker does with it: check its own
  code against the job's hashes, render into its own folder, return the render's files and the
  speech and TeX it made.

Nothing here imports ``distributed`` until a build asks for a cluster: without ``--cluster`` the
build imports and does exactly what it did. The dependency is the optional extra ``cluster``
(``requirements-cluster.lock``, installed by ``make setup-cluster`` and by ``make test``).
"""

from __future__ import annotations

from lecture.cluster.connection import ClusterRenderer, open_renderer

__all__ = ["ClusterRenderer", "open_renderer"]
