"""Signing SHA256SUMS with the organisation's SSH key (`ssh-keygen -Y sign`), and the public key
a reader checks the signature with (`ssh-keygen -Y verify`, OpenSSH 8.1 or later).

The key is a private key file without a passphrase, or a public key file whose private half an
ssh-agent holds; its path comes from PUBLISHER_SIGNING_KEY and is never printed: when ssh-keygen
fails, its reason is passed on with the path taken out. ssh-keygen runs with no terminal to
prompt on, no standard input and no askpass program, and is given the empty passphrase, so a
key protected by a passphrase fails at once instead of waiting for someone to type it. Ed25519
and RSA signatures are deterministic, so a rebuild of the same manifest with the same key gives
the same signature bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from publisher.errors import PublisherError
from publisher.messages import _
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
    with tempfile.TemporaryDirectory(prefix="publisher-sign-") as folder:
        signed = Path(folder) / MANIFEST
        signed.write_bytes(manifest.data)
        _ssh_keygen(["-Y", "sign", "-q", "-n", NAMESPACE, "-f", str(key), str(signed)], key)
        made = Path(f"{signed}.sig").read_bytes()
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
        text = _ssh_keygen(["-y", "-f", str(key)], key).decode("ascii", "replace")
    fields = text.split()
    if len(fields) < 2 or not fields[0].startswith(("ssh-", "ecdsa-", "sk-")):
        said = _("{variable}: not an SSH key (its public half is unreadable)")
        raise PublisherError(said.format(variable=KEY_VARIABLE))
    return fields[0], fields[1]


def _ssh_keygen(arguments: list[str], key: Path) -> bytes:
    """Run ssh-keygen with the empty passphrase (`-P ''`), without a terminal, standard input or
    askpass program; what it printed, or a message with its reason that names neither the key
    nor its path."""
    program = shutil.which("ssh-keygen")
    if program is None:
        said = _("{variable} is set but ssh-keygen is not installed (OpenSSH 8.1 or later)")
        raise PublisherError(said.format(variable=KEY_VARIABLE))
    quiet = {k: v for k, v in os.environ.items() if k not in _ASKPASS}
    try:
        done = subprocess.run(
            [program, "-P", "", *arguments],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
            check=False,
            env=quiet,
            start_new_session=True,  # no controlling terminal: /dev/tty cannot prompt
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        said = _("{variable}: ssh-keygen failed: {error}")
        raise PublisherError(said.format(variable=KEY_VARIABLE, error=type(exc).__name__)) from None
    if done.returncode == 0 and (done.stdout or "-Y" in arguments):
        return done.stdout
    reason = _reason(done.stderr, key)
    if "passphrase" in reason:
        said = _(
            "{variable}: the signing key is protected by a passphrase, which a build cannot "
            "type: use a key without a passphrase kept for signing, or load the key into "
            "ssh-agent (ssh-add) and name its .pub file (ssh-keygen: {reason})"
        )
        raise PublisherError(said.format(variable=KEY_VARIABLE, reason=reason))
    if reason:
        said = _(
            "{variable}: ssh-keygen could not use the signing key (exit {code}: {reason}); check "
            "that the file is a readable SSH private key without a passphrase, or a public key "
            "whose private half ssh-agent holds"
        )
    else:
        said = _(
            "{variable}: ssh-keygen could not use the signing key (exit {code}); check that the "
            "file is a readable SSH private key without a passphrase, or a public key whose "
            "private half ssh-agent holds"
        )
    raise PublisherError(said.format(variable=KEY_VARIABLE, code=done.returncode, reason=reason))


_ASKPASS = ("SSH_ASKPASS", "SSH_ASKPASS_REQUIRE", "DISPLAY", "WAYLAND_DISPLAY")
"""What would let ssh-keygen ask for a passphrase in a window instead."""


def _reason(stderr: bytes, key: Path) -> str:
    """What ssh-keygen said, on one line, without its banners and with the key's path (as
    given, absolute or resolved) replaced by <key>."""
    text = stderr.decode("utf-8", "replace")
    for path in sorted({str(key), str(key.absolute()), os.path.realpath(key)}, key=len)[::-1]:
        text = re.sub(rf"(?<![\w.~/-]){re.escape(path)}(?![\w~/-])", "<key>", text)
    lines = [line.strip() for line in text.splitlines()]
    return " ".join(line for line in lines if line and not re.fullmatch(r"@+|@.*@", line))
