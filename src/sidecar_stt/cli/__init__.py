"""The ``sidecar`` command line: ``extract``, ``dataset``, ``eval`` and ``demo`` (see ``sidecar --help``)."""
