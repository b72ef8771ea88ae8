"""News articles → proposed claims, each grounded in its exact quote (issue 15).

:mod:`.extract` is the entry point (:func:`~prisonwatch.news.extract.extract_claims`); the
per-kind rules are in :mod:`.counts`, :mod:`.persons`, :mod:`.sanctions` and
:mod:`.statements`, the per-language words in ``lexicon/<lang>.json``. Nothing here writes:
storing and reviewing claims is :mod:`prisonwatch.store.news`.
"""

LANGUAGES = ("en", "ru", "be", "es")
#: Bumped whenever the rules or lexicons change what is extracted; stored with every proposal
#: so review outcomes can be counted per extractor version.
EXTRACTOR_VERSION = "news-rules-1"
