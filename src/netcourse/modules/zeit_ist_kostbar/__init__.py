"""Talk 2: time is precious; a network must offer concrete added value and be humanly pleasant."""

from pathlib import Path

from netcourse import CourseModule

module = CourseModule.from_directory(Path(__file__).parent)
