"""Use cases. Widgets and the command line ask these; they own the rules."""
