"""The base layer: errors, the course model, the plugin registry, the answer store, participants and
identity, i18n, package paths, atomic writes and safety helpers. Imports nothing else from netcourse."""
