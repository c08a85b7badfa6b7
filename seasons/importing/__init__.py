"""Season articles into the archive: parse, then store.

``parser.read_source`` turns a file into plain data (``records``), with no database; the
``writer`` upserts it by natural key in one transaction, keeping what editors corrected
(``shared_rows`` and ``athletes``: whom a cell names, one athlete per person; ``flags``: the
doubts raised on the way).
``fixtures`` builds the bundled archive from ``fixtures/sources/``; ``synthetic`` makes a
full-size archive for scale tests and ``make bench``. docs/ARCHITECTURE.md draws the flow."""
