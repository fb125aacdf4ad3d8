"""The command line: a thin second front end on the same services as the GUI."""
