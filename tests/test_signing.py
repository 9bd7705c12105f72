"""SHA256SUMS signed with an SSH key: verified by the real ssh-keygen, unsigned without a key."""

from __future__ import annotations

import fcntl
import html
import os
import re
import shutil
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.build import BuildConfig, build_site
from publisher.cli import cli
from publisher.errors import PublisherError
from publisher.reporter import NullReporter
from tests.conftest import REPO, MakeTree

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs OpenSSH")

IDENTITY = "www.example.com"  # the minimal tree's web_domain


def _key(tmp_path: Path) -> Path:
    key = tmp_path / "keys" / "signing"
    key.parent.mkdir()
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "me@my-laptop", "-f", str(key)],
        check=True,
    )
    return key


def _verify(site: Path, manifest: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """What a reader runs, as the footer says."""
    signers, signature = site / ".well-known/publisher-allowed-signers", site / "SHA256SUMS.sig"
    command = ["ssh-keygen", "-Y", "verify", "-f", str(signers), "-I", IDENTITY,
               "-n", "publisher-manifest", "-s", str(signature)]  # fmt: skip
    data = (site / "SHA256SUMS").read_bytes() if manifest is None else manifest
    return subprocess.run(command, input=data, capture_output=True, check=False)


def _site_text(site: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file())


def _identity(make_tree: MakeTree) -> str:
    site = (make_tree() / "site.yaml").read_text(encoding="utf-8")
    assert f"web_domain: {IDENTITY}" in site
    return IDENTITY


def test_signed_manifest_verifies_with_ssh_keygen(make_tree: MakeTree, tmp_path: Path) -> None:
    _identity(make_tree)
    key = _key(tmp_path)
    out = tmp_path / "site"
    config = BuildConfig(tmp_path / "content", REPO / "templates", out, signing_key=key)
    assert build_site(config, NullReporter()).signed
    verified = _verify(out)
    assert verified.returncode == 0, verified.stderr
    said = verified.stdout + verified.stderr
    assert b'Good "publisher-manifest" signature for www.example.com' in said
    signers = (out / ".well-known/publisher-allowed-signers").read_text(encoding="ascii")
    assert signers.startswith('www.example.com namespaces="publisher-manifest" ssh-ed25519 ')
    assert "me@my-laptop" not in signers  # the key's comment names a person and a machine
    sums = (out / "SHA256SUMS").read_text(encoding="utf-8")
    assert "  .well-known/publisher-allowed-signers\n" in sums
    assert "SHA256SUMS.sig" not in sums
    checked = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=out, check=False)
    assert checked.returncode == 0


def test_a_tampered_manifest_fails_verification(make_tree: MakeTree, tmp_path: Path) -> None:
    _identity(make_tree)
    out = tmp_path / "site"
    key = _key(tmp_path)
    build_site(BuildConfig(tmp_path / "content", None, out, signing_key=key), NullReporter())
    sums = (out / "SHA256SUMS").read_bytes()
    first = sums.index(b" ")
    tampered = (b"0" if sums[:1] != b"0" else b"1") + sums[1:]
    assert first > 0 and tampered != sums
    assert _verify(out, tampered).returncode != 0
    assert _verify(out, sums + b"0" * 64 + b"  evil.pdf\n").returncode != 0


def test_the_signature_is_the_same_on_a_rebuild(make_tree: MakeTree, tmp_path: Path) -> None:
    """Ed25519 signatures are deterministic: an unchanged site keeps its bytes (and links)."""
    make_tree()
    key = _key(tmp_path)
    first = BuildConfig(tmp_path / "content", None, tmp_path / "a", signing_key=key)
    second = BuildConfig(tmp_path / "content", None, tmp_path / "b", signing_key=key)
    build_site(first, NullReporter())
    build_site(second, NullReporter())
    signatures = [(tmp_path / name / "SHA256SUMS.sig").read_bytes() for name in "ab"]
    assert signatures[0] == signatures[1]


def test_a_new_key_is_a_change_for_the_no_op_check(make_tree: MakeTree, tmp_path: Path) -> None:
    make_tree()
    out = tmp_path / "site"
    build_site(BuildConfig(tmp_path / "content", None, out), NullReporter())
    assert not (out / "SHA256SUMS.sig").exists()
    key = _key(tmp_path)
    signed = BuildConfig(tmp_path / "content", None, out, signing_key=key)
    result = build_site(signed, NullReporter())
    assert result.signed and (out / "SHA256SUMS.sig").is_file()
    again = build_site(signed, NullReporter())
    assert again.signed and again.written == 0


def test_without_a_key_the_build_says_once_it_is_unsigned(
    make_tree: MakeTree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tree()
    monkeypatch.delenv("PUBLISHER_SIGNING_KEY", raising=False)
    result = CliRunner().invoke(cli, ["build", "--no-pdf", "--content", "content", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert result.output.count("SHA256SUMS is unsigned") == 1
    assert not (tmp_path / "out/SHA256SUMS.sig").exists()
    assert not (tmp_path / "out/.well-known").exists()


def test_the_key_never_reaches_output_or_site(
    make_tree: MakeTree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tree()
    key = _key(tmp_path)
    monkeypatch.setenv("PUBLISHER_SIGNING_KEY", str(key))
    result = CliRunner().invoke(cli, ["build", "--no-pdf", "--content", "content", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert "unsigned" not in result.output
    private = b"".join(key.read_bytes().splitlines()[1:-1])
    site = _site_text(tmp_path / "out")
    assert private[:40] not in site and str(key).encode() not in site
    assert str(key) not in result.output and "keys" not in result.output
    assert _verify(tmp_path / "out").returncode == 0


UNUSABLE = [
    ("missing", None, "(exit 255: <key>: No such file or directory)"),
    ("not-a-key", 0o600, '(exit 255: Load key "<key>": error in libcrypto)'),
    (
        "readable by others",
        0o644,
        "(exit 255: Permissions 0644 for '<key>' are too open. It is required that your private "
        "key files are NOT accessible by others. This private key will be ignored. Load key "
        '"<key>": bad permissions)',
    ),
]


@pytest.mark.parametrize("bad,mode,reason", UNUSABLE, ids=[c[0] for c in UNUSABLE])
def test_an_unusable_key_is_ssh_keygen_s_reason_naming_no_path(
    make_tree: MakeTree, tmp_path: Path, bad: str, mode: int | None, reason: str
) -> None:
    make_tree()
    secret = tmp_path / "secret-folder" / "signing"
    if mode is not None:
        secret.parent.mkdir()
        secret.write_text("hello\n", encoding="utf-8")
        secret.chmod(mode)
    config = BuildConfig(tmp_path / "content", None, tmp_path / "out", signing_key=secret)
    with pytest.raises(PublisherError) as caught:
        build_site(config, NullReporter())
    assert str(caught.value) == (
        f"PUBLISHER_SIGNING_KEY: ssh-keygen could not use the signing key {reason}; check that "
        "the file is a readable SSH private key without a passphrase, or a public key whose "
        "private half ssh-agent holds"
    )
    assert "secret-folder" not in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_a_key_named_by_a_short_relative_path_is_left_out_of_the_reason(
    make_tree: MakeTree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path is taken out where it stands as a path, not wherever its letters occur."""
    make_tree()
    (tmp_path / "k").write_text("hello\n", encoding="utf-8")
    (tmp_path / "k").chmod(0o644)
    config = BuildConfig(tmp_path / "content", None, tmp_path / "out", signing_key=Path("k"))
    with pytest.raises(PublisherError) as caught:
        build_site(config, NullReporter())
    said = str(caught.value)
    assert "Permissions 0644 for '<key>' are too open." in said
    assert 'Load key "<key>": bad permissions' in said and "<key>ey" not in said


ENCRYPTED = (
    "PUBLISHER_SIGNING_KEY: the signing key is protected by a passphrase, which a build cannot "
    "type: use a key without a passphrase kept for signing, or load the key into ssh-agent "
    '(ssh-add) and name its .pub file (ssh-keygen: Load key "<key>": incorrect passphrase '
    "supplied to decrypt private key)"
)


def test_a_key_with_a_passphrase_fails_at_once_on_a_terminal(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """ssh-keygen would ask on the build's terminal, or in an askpass window, and wait."""
    make_tree()
    key = tmp_path / "secret-folder" / "signing"
    key.parent.mkdir()
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "a passphrase", "-f", str(key)],
                   check=True)  # fmt: skip
    asked = tmp_path / "asked"
    askpass = tmp_path / "askpass"
    askpass.write_text(f"#!/bin/sh\ntouch {asked}\nsleep 120\n", encoding="utf-8")  # a person
    askpass.chmod(0o755)
    env = {**os.environ, "PUBLISHER_SIGNING_KEY": str(key), "SSH_ASKPASS": str(askpass),
           "SSH_ASKPASS_REQUIRE": "force", "DISPLAY": ":0", "PYTHONPATH": str(REPO)}  # fmt: skip
    env.pop("SSH_AUTH_SOCK", None)
    try:
        main, terminal = os.openpty()
    except OSError:
        pytest.skip("needs a pseudo-terminal")

    def on_the_terminal() -> None:  # the build's controlling terminal is the pty
        os.setsid()
        fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)

    command = [sys.executable, "-m", "publisher", "build", "--no-pdf", "--content", "content",
               "--out", "out"]  # fmt: skip
    pipe = subprocess.PIPE
    build = subprocess.Popen(
        command, stdin=terminal, stdout=pipe, stderr=pipe, env=env, preexec_fn=on_the_terminal
    )
    try:
        out, err = build.communicate(timeout=20)
    finally:
        build.kill()
        os.close(main)
        os.close(terminal)
    said = " ".join((out + err).decode().split())
    assert build.returncode != 0 and ENCRYPTED in said, said
    assert "secret-folder" not in said and not asked.exists()
    assert not (tmp_path / "out").exists()


def test_the_footer_commands_verify_a_file_saved_on_its_own(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """What each page's footer tells a reader to run, run in a folder of the saved files."""
    make_tree()
    out, saved = tmp_path / "site", tmp_path / "downloads"
    build_site(
        BuildConfig(tmp_path / "content", None, out, signing_key=_key(tmp_path)), NullReporter()
    )
    page = (out / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<pre class="verify-commands"><code>(.*?)</code></pre>', page, re.S)
    assert found is not None
    commands = html.unescape(found.group(1))
    saved.mkdir()
    for name in ("SHA256SUMS", "SHA256SUMS.sig", ".well-known/publisher-allowed-signers"):
        shutil.copy(out / name, saved)
    shutil.copy(out / "releases.json", saved / "FILE.pdf")  # any published file will do
    done = subprocess.run(["bash", "-euc", commands], cwd=saved, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert 'Good "publisher-manifest" signature' in done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("  releases.json")
    (saved / "FILE.pdf").write_text("forged", encoding="utf-8")
    forged = subprocess.run(["bash", "-euc", commands], cwd=saved, capture_output=True, text=True)
    assert forged.returncode != 0


def test_a_stale_public_key_beside_the_private_one_is_never_published(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    """ssh-keygen refuses to sign then: a build stops rather than publish a key that lies."""
    make_tree()
    key, other = _key(tmp_path), tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    shutil.copy(f"{other}.pub", f"{key}.pub")  # the .pub of another key
    out = tmp_path / "site"
    config = BuildConfig(tmp_path / "content", None, out, signing_key=key)
    with pytest.raises(PublisherError, match="could not use the signing key"):
        build_site(config, NullReporter())
    assert not out.exists()


def test_a_public_key_held_by_an_agent_signs(make_tree: MakeTree, tmp_path: Path) -> None:
    """PUBLISHER_SIGNING_KEY may name a .pub file whose private half ssh-agent holds."""
    if shutil.which("ssh-agent") is None or shutil.which("ssh-add") is None:
        pytest.skip("needs ssh-agent")
    make_tree()
    key = _key(tmp_path)
    socket = tmp_path / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(socket)], stdout=subprocess.DEVNULL)
    try:
        env = {**os.environ, "SSH_AUTH_SOCK": str(socket)}
        for _ in range(50):
            if socket.exists():
                break
            time.sleep(0.05)
        subprocess.run(["ssh-add", "-q", str(key)], env=env, check=True, capture_output=True)
        key.unlink()  # only the agent holds the private half now
        out = tmp_path / "site"
        config = BuildConfig(tmp_path / "content", None, out, signing_key=Path(f"{key}.pub"))
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SSH_AUTH_SOCK", str(socket))
            build_site(config, NullReporter())
        assert _verify(out).returncode == 0
    finally:
        agent.terminate()
        agent.wait()
