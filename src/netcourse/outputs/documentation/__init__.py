"""The participant documentation: a model built from the store, and its rendering to files."""
