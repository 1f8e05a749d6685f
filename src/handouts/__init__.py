"""handouts: print-ready exercise handouts and FAQ cards from YAML content."""

from functools import lru_cache

__version__ = "0.1.0"


@lru_cache(maxsize=1)
def program_digest() -> str:
    """SHA-256 (hex) of this version and the package's own source: what a build's fingerprint and the
    deck's kept card plans are keyed by, so a code change without a version bump still counts.

    Hashed once per process (about 4 ms): a running build uses the code it imported, whatever is
    saved meanwhile.
    """
    import hashlib
    from pathlib import Path

    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + source.read_bytes())
    return digest.hexdigest()
