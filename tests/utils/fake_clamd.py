"""A tiny clamd for the tests: a real socket (TCP or unix) in a thread, speaking clamd's INSTREAM protocol.

It reads `zINSTREAM\\0` and the size-prefixed chunks exactly as clamd does, records what it received, then answers
according to its `behaviour`:

- "scan": "stream: <signature> FOUND" when the stream holds VIRUS_MARKER, "stream: OK" otherwise;
- "error": the error clamd gives when a stream exceeds its StreamMaxLength;
- "slow": no answer until the test is over (the client's read timeout must fire);
- "hang_up": closes the connection without a word;
- "babble": an endless line that never ends with NUL;
- "limit": stops reading after STREAM_MAX_LENGTH bytes and answers the error clamd gives then, as clamd does.
"""

import socket
import socketserver
import struct
import threading
from dataclasses import dataclass, field

from tests.utils.upload_samples import VIRUS_MARKER, VIRUS_SIGNATURE

# The StreamMaxLength of the "limit" behaviour.
STREAM_MAX_LENGTH = 256 * 1024
SIZE_LIMIT_ERROR = b"INSTREAM size limit exceeded. ERROR\0"


@dataclass
class Received:
    command: bytes = b""
    chunk_sizes: list = field(default_factory=list)
    data: bytes = b""  # kept only with keep_data (a memory measure must not count the fake's own copy)
    infected: bool = False


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        server = self.server
        received = Received()
        server.received.append(received)
        try:
            received.command = self._read_until_nul()
            if received.command != b"zINSTREAM":
                self.request.sendall(b"UNKNOWN COMMAND\0")
                return
            chunks = []
            tail = b""  # the marker may straddle two chunks
            while (size := struct.unpack("!L", self._read_exactly(4))[0]) != 0:
                if server.behaviour == "limit" and sum(received.chunk_sizes) + size > STREAM_MAX_LENGTH:
                    self.request.sendall(SIZE_LIMIT_ERROR)
                    return  # the connection closes with the rest of the stream unread
                received.chunk_sizes.append(size)
                chunk = self._read_exactly(size)
                received.infected = received.infected or VIRUS_MARKER in tail + chunk
                tail = chunk[-len(VIRUS_MARKER) :]
                if server.keep_data:
                    chunks.append(chunk)
            received.data = b"".join(chunks)
            self._answer(received)
        except (OSError, ConnectionError):
            pass  # the client gave up (a timeout test): nothing to answer

    def _answer(self, received):
        behaviour = self.server.behaviour
        if behaviour == "slow":
            self.server.release.wait(10)
        elif behaviour == "hang_up":
            return
        elif behaviour == "babble":
            self.request.sendall(b"stream: " + b"blabla " * 1000)
        elif behaviour == "error":
            self.request.sendall(SIZE_LIMIT_ERROR)
        elif received.infected:
            self.request.sendall(f"stream: {VIRUS_SIGNATURE} FOUND\0".encode())
        else:
            self.request.sendall(b"stream: OK\0")

    def _read_exactly(self, size):
        data = b""
        while len(data) < size:
            piece = self.request.recv(size - len(data))
            if not piece:
                raise ConnectionError("client closed the stream early")
            data += piece
        return data

    def _read_until_nul(self):
        data = b""
        while not data.endswith(b"\0"):
            data += self._read_exactly(1)
        return data[:-1]


class _TCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class FakeClamd:
    def __init__(self, behaviour="scan", unix_path=None, keep_data=True):
        if unix_path:
            self.server = _UnixServer(str(unix_path), _Handler)
            self.address = str(unix_path)
        else:
            self.server = _TCPServer(("127.0.0.1", 0), _Handler)
            self.address = f"127.0.0.1:{self.server.server_address[1]}"
        self.server.behaviour = behaviour
        self.server.keep_data = keep_data
        self.server.received = []
        self.server.release = threading.Event()
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})

    @property
    def received(self):
        return self.server.received

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def unreachable_address():
    """A TCP port nobody listens on: bound then released at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"
