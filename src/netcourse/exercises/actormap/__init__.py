"""Actor map: the answer model (plain data and validation) in ``model``, its widgets in
``view``. Importing this package loads neither."""
