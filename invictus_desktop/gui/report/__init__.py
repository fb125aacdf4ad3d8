"""Parts of the Notes and Report screens: autosave, sources, sections, preview."""
