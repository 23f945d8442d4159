"""A participant's profile as the roster gave it; the storage key is the random id, never the name."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass

TRAITS = ("tausch", "ziele", "unterschiedlichkeit", "vertrauen")
TRAIT_LABELS = {"tausch": "Tausch", "ziele": "Ziele", "unterschiedlichkeit": "Unterschiedlichkeit",
                "vertrauen": "Vertrauen"}


@dataclass(frozen=True)
class Profile:
    participant_id: str
    name: str
    municipality: str = ""
    group: str = ""
    email: str = ""
    lang: str = "de"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def new_token() -> str:
    """A secret for a personal link: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    """What the store keeps of a token: its SHA-256, so a copied store does not reveal the links."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
