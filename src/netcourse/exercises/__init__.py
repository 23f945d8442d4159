"""Exercise types, one package each: ``<type>/model.py`` (the answer as plain data, validation, text for
journals) and ``<type>/view.py`` (the ipywidgets view). The contracts are ``base.Exercise`` and
``view.ExerciseView``; the registries of course modules and exercise types are in ``registry``.

Importing this package loads nothing else (no ipywidgets): a model never needs its view.
"""
