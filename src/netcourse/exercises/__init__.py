"""Exercise types: a plain-Python answer model with validation, and an ipywidgets view on top."""

from netcourse.exercises.base import Exercise, ExerciseView

__all__ = ["Exercise", "ExerciseView"]
