"""The main window's screens, one module each; `PAGES` lists them in order."""
