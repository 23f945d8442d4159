"""What leaves the kit: personal workbooks, the documentation, journal exporters, protected archives,
collecting stores."""
