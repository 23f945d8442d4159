"""Follow-up module "Interkommunaler Lernraum": sharing first experiences from the municipalities.

The whole plugin is this one object. netcourse finds it through the entry point
``netcourse.modules: lernraum = "netcourse_lernraum:module"`` and reads the texts lazily from the YAML files
beside this file.
"""

from pathlib import Path

from netcourse import CourseModule

module = CourseModule.from_directory(Path(__file__).parent)
