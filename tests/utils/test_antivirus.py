"""The antivirus hook (platform_rules.md §6): the no-op default and the clamd client, against a real socket."""

import shutil
import tempfile
import time
from pathlib import Path

import pytest

from inclusion.utils import antivirus
from tests.utils.fake_clamd import STREAM_MAX_LENGTH, FakeClamd, unreachable_address
from tests.utils.upload_samples import VIRUS_MARKER, VIRUS_SIGNATURE


@pytest.fixture
def unix_path():
    # AF_UNIX paths are limited to ~100 characters: pytest's tmp_path may be longer.
    directory = tempfile.mkdtemp(prefix="clamd")
    yield Path(directory) / "clamd.sock"
    shutil.rmtree(directory)


def scan(address, *chunks, **timeouts):
    return antivirus.ClamdScanner(address, **timeouts).scan(iter(chunks))


# Which scanner ------------------------------------------------------------------------------------------------------


def test_without_clamd_address_the_scanner_is_the_no_op_one(settings):
    settings.CLAMD_ADDRESS = ""
    scanner = antivirus.get_scanner()
    assert isinstance(scanner, antivirus.NoOpScanner)
    assert scanner.scan(iter([VIRUS_MARKER])) == antivirus.ScanResult(infected=False)


def test_a_blank_clamd_address_is_no_address(settings):
    settings.CLAMD_ADDRESS = "   "
    assert isinstance(antivirus.get_scanner(), antivirus.NoOpScanner)


def test_with_clamd_address_the_scanner_is_clamd(settings):
    settings.CLAMD_ADDRESS = "clamav.internal:3310"
    scanner = antivirus.get_scanner()
    assert isinstance(scanner, antivirus.ClamdScanner)
    assert scanner.address == "clamav.internal:3310"
    assert (scanner.connect_timeout, scanner.read_timeout) == (antivirus.CONNECT_TIMEOUT, antivirus.READ_TIMEOUT)


# The protocol, over TCP and over a unix socket -----------------------------------------------------------------------


def test_a_clean_stream_over_tcp():
    with FakeClamd() as clamd:
        assert scan(clamd.address, b"Bonjour, ", b"voici mon CV.") == antivirus.ScanResult(infected=False)
    [received] = clamd.received
    assert received.command == b"zINSTREAM"
    assert received.chunk_sizes == [9, 13]
    assert received.data == b"Bonjour, voici mon CV."


def test_an_infected_stream_gives_its_signature():
    with FakeClamd() as clamd:
        result = scan(clamd.address, b"debut ", VIRUS_MARKER, b" fin")
    assert result == antivirus.ScanResult(infected=True, signature=VIRUS_SIGNATURE)


def test_a_unix_socket_path(unix_path):
    with FakeClamd(unix_path=unix_path) as clamd:
        assert clamd.address.startswith("/")
        assert scan(clamd.address, b"propre").infected is False
        assert scan(clamd.address, VIRUS_MARKER).infected is True
    assert [received.data for received in clamd.received] == [b"propre", VIRUS_MARKER]


def test_empty_chunks_are_not_sent_as_they_would_end_the_stream():
    with FakeClamd() as clamd:
        scan(clamd.address, b"un", b"", b"deux")
    assert clamd.received[0].chunk_sizes == [2, 4]


def test_an_empty_stream_is_a_valid_request():
    with FakeClamd() as clamd:
        assert scan(clamd.address).infected is False
    assert clamd.received[0].chunk_sizes == []


def test_an_ipv6_address_is_understood():
    assert antivirus.parse_tcp_address("[::1]:3310") == ("::1", 3310)
    assert antivirus.parse_tcp_address("clamav.internal:3310") == ("clamav.internal", 3310)


@pytest.mark.parametrize("address", ["clamav", "clamav:", ":3310", "clamav:port"])
def test_a_malformed_address_makes_the_scanner_unavailable(address):
    with pytest.raises(antivirus.ScannerUnavailable, match="neither host:port nor a unix socket path"):
        scan(address, b"x")


# No verdict: the scanner is unavailable ------------------------------------------------------------------------------


def test_an_error_reply_is_no_verdict():
    with FakeClamd("error") as clamd, pytest.raises(antivirus.ScannerUnavailable, match="size limit exceeded"):
        scan(clamd.address, b"x")


@pytest.mark.parametrize("size", [STREAM_MAX_LENGTH + 1, 4 * STREAM_MAX_LENGTH, 20 * STREAM_MAX_LENGTH])
def test_a_stream_longer_than_clamd_accepts_is_no_verdict_and_says_why(size):
    """clamd stops reading past its StreamMaxLength: whether the client notices it while sending (a broken pipe) or
    when reading the reply, the reason reaches the logs."""
    content = b"x" * size
    chunks = (content[start : start + antivirus.CHUNK_SIZE] for start in range(0, size, antivirus.CHUNK_SIZE))
    with FakeClamd("limit") as clamd, pytest.raises(antivirus.ScannerUnavailable, match="size limit exceeded"):
        scan(clamd.address, *chunks)


def test_a_hang_up_without_reply_is_no_verdict():
    with FakeClamd("hang_up") as clamd, pytest.raises(antivirus.ScannerUnavailable, match="replied ''"):
        scan(clamd.address, b"x")


def test_nobody_listening_is_no_verdict():
    with pytest.raises(antivirus.ScannerUnavailable, match="ConnectionRefusedError"):
        scan(unreachable_address(), b"x")


def test_a_missing_unix_socket_is_no_verdict(unix_path):
    with pytest.raises(antivirus.ScannerUnavailable, match="FileNotFoundError"):
        scan(str(unix_path), b"x")


def test_a_slow_daemon_is_given_up_after_the_read_timeout():
    with FakeClamd("slow") as clamd:
        started = time.monotonic()
        with pytest.raises(antivirus.ScannerUnavailable, match="TimeoutError"):
            scan(clamd.address, b"x", read_timeout=0.2)
        elapsed = time.monotonic() - started
    assert 0.2 <= elapsed < 2


def test_an_endless_reply_is_no_verdict():
    with FakeClamd("babble") as clamd, pytest.raises(antivirus.ScannerUnavailable, match="reply longer than"):
        scan(clamd.address, b"x")


@pytest.mark.parametrize(
    "reply,result",
    [
        ("stream: OK", antivirus.ScanResult(infected=False)),
        ("stream: Win.Test.EICAR_HDB-1 FOUND", antivirus.ScanResult(infected=True, signature="Win.Test.EICAR_HDB-1")),
    ],
)
def test_verdicts(reply, result):
    assert antivirus.parse_reply(reply) == result


@pytest.mark.parametrize(
    "reply", ["", "stream: ERROR", "INSTREAM size limit exceeded. ERROR", "PONG", "stream: OK FOUND?", "FOUND"]
)
def test_anything_else_is_no_verdict(reply):
    with pytest.raises(antivirus.ScannerUnavailable):
        antivirus.parse_reply(reply)
