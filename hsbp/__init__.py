"""HSBP Platform: the project package (settings, URLs, the ``hsbp`` command)."""
