"""Letters to prisoners (issue 17): who can be written to today and where, birthdays, the
letters logged as sent, and the figures. Use cases only: no web, no CLI (those translate)."""
