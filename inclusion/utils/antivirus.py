"""The antivirus hook (platform_rules.md §6): every uploaded file is scanned before it is stored.

A scanner has one method, `scan(chunks) -> ScanResult`, fed with the file in chunks so that a large upload is never
copied whole in memory. `get_scanner()` picks the scanner from the settings:

- `CLAMD_ADDRESS` empty (development, tests): `NoOpScanner`, every file is clean;
- `CLAMD_ADDRESS` set: `ClamdScanner`, which streams the file to a clamd daemon ("host:port" over TCP, or the path of
  its unix socket) with the INSTREAM command of clamd's protocol (`man clamd`).

The scanner never decides what the person is told: it returns a verdict or raises `ScannerUnavailable`, and
`inclusion.utils.uploads` turns both into French form errors (an unavailable scanner refuses the file: fail closed).
"""

import socket
import struct
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

# Size of the pieces a file is read and sent in; far below clamd's StreamMaxLength (25 MB by default).
CHUNK_SIZE = 64 * 1024
# A daemon that does not accept the connection within this delay is down or overloaded.
CONNECT_TIMEOUT = 5  # seconds
# Longest wait for each send and for the verdict; a 5 MB PDF is scanned in well under a second by a healthy clamd.
READ_TIMEOUT = 30  # seconds
# A verdict is one short line; anything longer is not clamd.
MAX_REPLY_LENGTH = 4096


class ScannerUnavailable(Exception):
    """The scanner gave no verdict: unreachable, too slow, or it answered with an error."""


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    signature: str = ""  # the name of the signature that matched, for the logs


CLEAN = ScanResult(infected=False)


class Scanner(Protocol):
    def scan(self, chunks: Iterable[bytes]) -> ScanResult: ...


class NoOpScanner:
    """No antivirus configured: every file is clean (the file is not even read)."""

    def scan(self, chunks: Iterable[bytes]) -> ScanResult:
        return CLEAN


class ClamdScanner:
    """clamd's INSTREAM command: `zINSTREAM\\0`, then chunks each prefixed by their length (4 bytes, network order),
    then a zero length; clamd answers one NUL-terminated line ("stream: OK", "stream: <signature> FOUND" or
    "<reason> ERROR")."""

    def __init__(self, address, *, connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT):
        self.address = address
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout

    def scan(self, chunks: Iterable[bytes]) -> ScanResult:
        try:
            with self._connect() as connection:
                connection.settimeout(self.read_timeout)
                try:
                    self._send(connection, chunks)
                except (BrokenPipeError, ConnectionResetError) as error:
                    # clamd stops reading a stream it refuses (longer than its StreamMaxLength): its reply says why.
                    raise ScannerUnavailable(
                        f"clamd {self.address}: stopped reading the stream ({self._last_words(connection)})"
                    ) from error
                reply = self._read_reply(connection)
        except OSError as error:  # refused, reset, timed out (TimeoutError is an OSError), unknown host...
            raise ScannerUnavailable(f"clamd {self.address}: {error.__class__.__name__} {error}") from error
        return parse_reply(reply)

    def _connect(self):
        if self.address.startswith("/"):
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(self.connect_timeout)
            try:
                connection.connect(self.address)
            except OSError:
                connection.close()
                raise
            return connection
        host, port = parse_tcp_address(self.address)
        return socket.create_connection((host, port), timeout=self.connect_timeout)

    def _send(self, connection, chunks):
        connection.sendall(b"zINSTREAM\0")
        for chunk in chunks:
            if chunk:  # a zero length would end the stream early
                connection.sendall(struct.pack("!L", len(chunk)))
                connection.sendall(chunk)
        connection.sendall(struct.pack("!L", 0))

    def _last_words(self, connection):
        try:
            return repr(self._read_reply(connection))
        except (OSError, ScannerUnavailable):
            return "no reply"

    def _read_reply(self, connection):
        # One deadline for the whole verdict: a daemon sending a byte now and then cannot hold the request forever.
        deadline = time.monotonic() + self.read_timeout
        reply = b""
        while not reply.endswith(b"\0"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no complete reply in time")
            connection.settimeout(remaining)
            data = connection.recv(MAX_REPLY_LENGTH)
            if not data:
                break  # closed: what was received is the reply (clamd ends its lines with NUL, tolerate without)
            reply += data
            if len(reply) > MAX_REPLY_LENGTH:
                raise ScannerUnavailable(f"clamd {self.address}: reply longer than {MAX_REPLY_LENGTH} bytes")
        return reply.rstrip(b"\0").decode("utf-8", errors="replace").strip()


def parse_tcp_address(address):
    """'clamav.internal:3310' → ('clamav.internal', 3310); '[::1]:3310' → ('::1', 3310)."""
    host, separator, port = address.rpartition(":")
    if not separator or not host or not port.isdigit():
        raise ScannerUnavailable(f"CLAMD_ADDRESS {address!r} is neither host:port nor a unix socket path")
    return host.strip("[]"), int(port)


def parse_reply(reply):
    """clamd's verdict on a stream; anything but OK or FOUND means there is no verdict."""
    if reply == "stream: OK":
        return CLEAN
    if reply.startswith("stream: ") and reply.endswith(" FOUND"):
        return ScanResult(infected=True, signature=reply.removeprefix("stream: ").removesuffix(" FOUND"))
    raise ScannerUnavailable(f"clamd replied {reply!r}")


def get_scanner() -> Scanner:
    """The scanner of this environment, read from the settings at each call (tests override them)."""
    address = settings.CLAMD_ADDRESS.strip()
    if not address:
        return NoOpScanner()
    return ClamdScanner(address, connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT)
