"""Other tools' and clinics' formats into content YAML."""
