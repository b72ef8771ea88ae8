"""Screening officials (judges, prosecutors, investigators) against the sanctions lists:
:mod:`.run` runs it and stores the hits, :mod:`.report` reads them with reviewers' judgements
applied and answers "who is sanctioned by whom, and by nobody"."""
