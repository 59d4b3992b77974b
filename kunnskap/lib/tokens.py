"""Secret tokens (API keys, private status links) are stored only as their hash."""

import hashlib


def hash_token(raw: str) -> str:
    """Tokens are long and random: one unsalted SHA-256 keeps them unusable at rest."""
    return hashlib.sha256(raw.encode()).hexdigest()
