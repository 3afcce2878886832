"""Respondents' pseudonyms: the same person has the same pseudonym in every export of a wave.

A pseudonym is `R-` and the first 16 hexadecimal digits (64 bits) of HMAC-SHA256 of the
respondent id under a secret key. Without the key, a pseudonym cannot be traced back to the
respondent id, even by trying every id; with the same key the same id always gives the same
pseudonym, so exports of a wave join on it. A respondent's e-mail address is never an input.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd

PREFIX = "R-"
DIGITS = 16
#: What a key derived from a file's content is derived with (so that it is not the file's
#: plain SHA-256, which anyone could compute for another purpose).
_DERIVATION = b"barometre.exports.pseudonym-key.v1\x00"


def pseudonym(respondent_id: str, key: bytes) -> str:
    digest = hmac.new(key, respondent_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return PREFIX + digest[:DIGITS]


def pseudonymise(respondent_ids: pd.Series, key: bytes) -> pd.Series:
    """The pseudonym of each respondent id (each distinct id hashed once)."""
    codes, uniques = pd.factorize(respondent_ids.astype(str))
    names = np.array([pseudonym(u, key) for u in uniques] + [""], dtype=object)
    return pd.Series(names[codes], index=respondent_ids.index, dtype=object)


def derived_key(content: bytes) -> bytes:
    """A key derived from a file's content, when no secret key is given: anyone holding the
    same file derives the same key (and can then recompute the pseudonyms from the ids in
    it), and another version of the file gives other pseudonyms."""
    return hashlib.sha256(_DERIVATION + content).digest()
