"""Benchmark of `publisher notify send --transport sendgrid` against the local SendGrid stand-in.

    .venv/bin/python bench/notify.py [--sizes 100000 1000000] [--sample 2000]

For each size it generates a contact list (names, some organisations, 1% invalid rows), runs the
real command in a child process against tests/sendgrid_server.py (which validates every body),
and reports requests made, seconds and the child's peak memory. For comparison it runs `--sample`
contacts with one request per recipient and extrapolates that rate to each size (sending a
million single requests would take hours). Writes the table to stdout and bench/out/notify.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.sendgrid_server import SendGridStub  # noqa: E402

OUT = REPO / "bench" / "out"
RELEASE = "emotet-2020/2020-11-14"
ONE_PER_RECIPIENT = """
import sys
from pathlib import Path
from publisher.notify.mailout import MailoutConfig, send_notices, system_clock, transport_factory
from publisher.reporter import NullReporter
content, templates, contacts, ledger = map(Path, sys.argv[1:5])
config = MailoutConfig(content, templates, sys.argv[5], contacts, ledger=ledger, batch_size=1)
clock = system_clock()
make = transport_factory("sendgrid", Path("unused"), clock)
send_notices(config, make, NullReporter(), lambda plan: True, clock)
"""


def write_contacts(path: Path, n: int) -> int:
    """A list of `n` rows, 1% of them invalid; return the number of valid recipients."""
    valid = 0
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["email", "name", "organization", "segment", "language"])
        for i in range(n):
            if i % 100 == 99:
                writer.writerow([f"broken{i}.example.jp", "", "", "customers", "ja"])
                continue
            org = f"例示商事{i % 997}" if i % 4 == 0 else ""
            writer.writerow([f"person{i}@example.jp", f"利用者 {i}", org, "customers", "ja"])
            valid += 1
    return valid


def run_child(command: list[str], stub: SendGridStub) -> tuple[float, float, int]:
    """Run `command`; return (seconds, peak RSS in MB, exit status).

    The peak is the child's own VmHWM, polled: getrusage's ru_maxrss would also count the
    parent's pages the child had between fork and exec.
    """
    env = {**os.environ, "SENDGRID_API_KEY": stub.api_key, "SENDGRID_API_HOST": stub.url}
    started = time.monotonic()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while child.poll() is None:
        peak = max(peak, _high_water_kb(child.pid))
        time.sleep(0.05)
    seconds = time.monotonic() - started
    if child.returncode:
        sys.stderr.write(child.stderr.read().decode() if child.stderr else "")
    return seconds, peak / 1024, child.returncode


def _high_water_kb(pid: int) -> int:
    """The VmHWM (peak resident memory) of a running process, in kB; 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = [line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")]
    return int(found[0]) if found else 0


def batched(size: int, work: Path) -> dict[str, object]:
    """Send `size` generated contacts with the real command; measure it."""
    contacts, ledger = work / f"contacts-{size}.csv", work / f"ledger-{size}.sqlite"
    ledger.unlink(missing_ok=True)
    valid = write_contacts(contacts, size)
    stub = SendGridStub(keep_bodies=False).start()
    command = [sys.executable, "-m", "publisher", "notify", "send", RELEASE, "--quiet"]
    command += ["--contacts", str(contacts), "--transport", "sendgrid", "--yes"]
    command += ["--ledger", str(ledger), "--content", str(REPO / "content")]
    command += ["--templates", str(REPO / "templates")]
    try:
        seconds, peak, code = run_child(command, stub)
    finally:
        stub.stop()
    once = len(stub.accepted) == len(set(stub.accepted)) == valid
    return {"size": size, "valid": valid, "requests": stub.requests, "seconds": seconds,
            "server": stub.busy, "peak": peak,
            "ok": code == 0 and once and not stub.invalid}  # fmt: skip


def one_per_recipient(sample: int, work: Path) -> float:
    """Seconds per recipient when every recipient is its own request (measured on `sample`)."""
    contacts, ledger = work / "contacts-sample.csv", work / "ledger-sample.sqlite"
    ledger.unlink(missing_ok=True)
    valid = write_contacts(contacts, sample)
    stub = SendGridStub(keep_bodies=False).start()
    args = [str(REPO / "content"), str(REPO / "templates"), str(contacts), str(ledger), RELEASE]
    try:
        seconds, _, code = run_child([sys.executable, "-c", ONE_PER_RECIPIENT, *args], stub)
    finally:
        stub.stop()
    assert code == 0 and stub.requests == valid, (code, stub.requests, valid)
    return seconds / valid


def table(rows: list[dict[str, object]], per_recipient: float, sample: int) -> str:
    """The results as a Markdown table."""
    lines = [
        "| contacts | valid | batched: requests | seconds | of which the stand-in validating "
        "| peak memory | one per recipient: requests | seconds (extrapolated) "
        "| every valid address accepted once |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for r in rows:
        valid = int(str(r["valid"]))
        lines.append(
            f"| {r['size']:,} | {valid:,} | {r['requests']:,} | {float(str(r['seconds'])):.1f} | "
            f"{float(str(r['server'])):.1f} | {float(str(r['peak'])):.0f} MB | {valid:,} | "
            f"{valid * per_recipient:,.0f} | "
            f"{'yes' if r['ok'] else 'NO'} |"
        )
    lines.append(
        f"\nOne request per recipient measured on {sample:,} contacts "
        f"({per_recipient * 1000:.1f} ms each) and extrapolated; batched rows are measured."
    )
    return "\n".join(lines)


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--sample", type=int, default=2_000)
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    per_recipient = one_per_recipient(options.sample, OUT)
    rows = [batched(size, OUT) for size in options.sizes]
    text = table(rows, per_recipient, options.sample)
    (OUT / "notify.md").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
