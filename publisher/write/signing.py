"""Signing SHA256SUMS with the organisation's SSH key (`ssh-keygen -Y sign`), and the public key
a reader checks the signature with (`ssh-keygen -Y verify`, OpenSSH 8.1 or later).

The key is a private key file, or a public key file whose private half an ssh-agent holds; its
path comes from PUBLISHER_SIGNING_KEY and is never printed, nor is anything ssh-keygen says
about it. Ed25519 and RSA signatures are deterministic, so a rebuild of the same manifest with
the same key gives the same signature bytes.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from publisher.errors import PublisherError
from publisher.render.manifest import MANIFEST
from publisher.render.pages import Output

KEY_VARIABLE = "PUBLISHER_SIGNING_KEY"
"""The environment variable that names the signing key's file."""
NAMESPACE = "publisher-manifest"
"""The ssh-keygen namespace of the signature: a signature made for anything else never verifies."""
SIGNATURE = MANIFEST + ".sig"
ALLOWED_SIGNERS = ".well-known/publisher-allowed-signers"
"""The public key, as the allowed-signers file `ssh-keygen -Y verify -f` reads."""


def allowed_signers(key: Path, identity: str) -> Output:
    """The allowed-signers file naming `identity` as the holder of `key`'s public half."""
    kind, blob = _public_key(key)
    line = f'{identity} namespaces="{NAMESPACE}" {kind} {blob}\n'
    return Output(ALLOWED_SIGNERS, line.encode("ascii"))


def signature(manifest: Output, key: Path) -> Output:
    """SHA256SUMS.sig: `manifest` signed with `key` in the publisher-manifest namespace."""
    made = _ssh_keygen(["-Y", "sign", "-q", "-n", NAMESPACE, "-f", str(key)], manifest.data)
    return Output(SIGNATURE, made)


def _public_key(key: Path) -> tuple[str, str]:
    """The key type and base64 blob of `key`'s public half, derived from the private key (a
    stale .pub beside it cannot mislead), or read from a .pub whose private half ssh-agent
    holds; the comment is left out: it often names a user and a machine."""
    if key.suffix == ".pub":
        try:
            text = key.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            text = ""
    else:
        text = _ssh_keygen(["-y", "-f", str(key)], b"").decode("ascii", "replace")
    fields = text.split()
    if len(fields) < 2 or not fields[0].startswith(("ssh-", "ecdsa-", "sk-")):
        raise PublisherError(f"{KEY_VARIABLE}: not an SSH key (its public half is unreadable)")
    return fields[0], fields[1]


def _ssh_keygen(arguments: list[str], data: bytes) -> bytes:
    """Run ssh-keygen with `data` on its standard input; what it printed, or a message that names
    neither the key nor its path."""
    program = shutil.which("ssh-keygen")
    if program is None:
        raise PublisherError(
            f"{KEY_VARIABLE} is set but ssh-keygen is not installed (OpenSSH 8.1 or later)"
        )
    try:
        done = subprocess.run(
            [program, *arguments], input=data, capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PublisherError(f"{KEY_VARIABLE}: ssh-keygen failed: {type(exc).__name__}") from None
    if done.returncode != 0 or not done.stdout:
        raise PublisherError(
            f"{KEY_VARIABLE}: ssh-keygen could not use the signing key (exit {done.returncode}); "
            "check that the file is a readable SSH private key without a passphrase, or a public "
            "key whose private half ssh-agent holds"
        )
    return done.stdout
