"""netcourse on JupyterHub: configuration, personal-link login, single-user servers (``netcourse hub``).

Only :mod:`netcourse.hub.auth` imports JupyterHub (the ``hub`` extra); the rest is plain Python.
"""
