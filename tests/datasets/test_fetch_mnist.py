import functools
import hashlib
import http.server
import threading

import numpy as np
import pytest

from scratch_genmod.datasets import fetch_mnist

from .test_idx import write_fake_mnist


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    """A local HTTP server on 127.0.0.1 serving tmp_path/www; yields (base URL, folder, log)."""
    root = tmp_path / "www"
    root.mkdir()
    log = []

    class Handler(QuietHandler):
        def do_GET(self):
            log.append(self.path)
            if self.path.startswith("/cut/"):  # promise 100 kB, send 10 bytes, hang up
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"0123456789")
                self.wfile.flush()
                self.close_connection = True
                return
            super().do_GET()

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", root, log
    httpd.shutdown()
    httpd.server_close()


def sha256s(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.gz")}


def test_download_verify_cache_and_reuse(server, tmp_path):
    base, root, log = server
    expected = write_fake_mnist(root)
    cache = tmp_path / "cache"
    arrays = fetch_mnist(cache, mirrors=[base], checksums=sha256s(root))
    for got, want in zip(arrays, expected):
        np.testing.assert_array_equal(got, want)
    assert sorted(p.name for p in cache.iterdir()) == sorted(sha256s(root))
    assert len(log) == 4
    # second call: everything comes from the cache, no request is made
    again = fetch_mnist(cache, mirrors=[base], checksums=sha256s(root), load=False)
    assert again == cache and len(log) == 4


def test_wrong_checksum_is_an_error_and_nothing_is_cached(server, tmp_path):
    base, root, _ = server
    write_fake_mnist(root)
    checksums = sha256s(root)
    checksums["t10k-images-idx3-ubyte.gz"] = "0" * 64
    cache = tmp_path / "cache"
    with pytest.raises(OSError, match="t10k-images-idx3-ubyte.gz.*SHA-256 [0-9a-f]{64} instead of 0000"):
        fetch_mnist(cache, mirrors=[base], checksums=checksums)
    assert not (cache / "t10k-images-idx3-ubyte.gz").exists()
    assert not [p for p in cache.iterdir() if p.name.endswith(".part")]


def test_failing_mirror_then_the_next_one(server, tmp_path):
    base, root, log = server
    (root / "good").mkdir()
    expected = write_fake_mnist(root / "good")
    dead = base + "missing/"                    # answers 404 for every file
    arrays = fetch_mnist(tmp_path / "c", mirrors=[dead, base + "good/"],
                         checksums=sha256s(root / "good"))
    np.testing.assert_array_equal(arrays[0], expected[0])
    assert sum(path.startswith("/missing/") for path in log) == 4
    assert sum(path.startswith("/good/") for path in log) == 4


def test_interrupted_download_leaves_no_partial_file(server, tmp_path):
    base, root, _ = server
    write_fake_mnist(root)
    cache = tmp_path / "cache"
    with pytest.raises(OSError, match="/cut/.*(IncompleteRead|bytes)"):
        fetch_mnist(cache, mirrors=[base + "cut/"], checksums=sha256s(root))
    assert list(cache.iterdir()) == []


def test_all_mirrors_fail(server, tmp_path):
    base, root, _ = server
    write_fake_mnist(root)
    with pytest.raises(OSError, match=r"could not download [a-z0-9-]+\.gz from any mirror:\n.*/a/.*404.*\n.*/b/.*404"):
        fetch_mnist(tmp_path / "c", mirrors=[base + "a/", base + "b/"], checksums=sha256s(root))


def test_corrupted_cache_file_is_downloaded_again(server, tmp_path):
    base, root, log = server
    write_fake_mnist(root)
    cache = tmp_path / "cache"
    fetch_mnist(cache, mirrors=[base], checksums=sha256s(root))
    (cache / "train-labels-idx1-ubyte.gz").write_bytes(b"garbage")
    fetch_mnist(cache, mirrors=[base], checksums=sha256s(root))
    assert len(log) == 5
    assert sha256s(cache) == sha256s(root)


@pytest.mark.parametrize("kwargs, pattern", [
    (dict(mirrors=[]), "mirrors must be a non-empty sequence"),
    (dict(mirrors="http://x/"), "mirrors must be a non-empty sequence"),
    (dict(mirrors=["ftp://x/"]), "mirrors must be http"),
    (dict(timeout=0), "timeout must be > 0"),
])
def test_bad_arguments(tmp_path, kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        fetch_mnist(tmp_path, **kwargs)


def test_known_mnist_checksums_are_the_published_files():
    from scratch_genmod.datasets.mnist import MNIST_FILES
    assert sorted(MNIST_FILES) == ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                                   "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]
    assert all(len(h) == 64 and int(h, 16) for h in MNIST_FILES.values())


def test_cached_file_with_wrong_checksum_is_named_and_moved_aside(server, tmp_path):
    """A damaged cache with no mirror reachable: the error names the mismatch, not only the network."""
    base, root, _ = server
    write_fake_mnist(root)
    checksums = sha256s(root)
    cache = tmp_path / "cache"
    fetch_mnist(cache, mirrors=[base], checksums=checksums)
    bad = cache / "train-labels-idx1-ubyte.gz"
    bad.write_bytes(b"garbage")
    actual = hashlib.sha256(b"garbage").hexdigest()
    with pytest.raises(OSError) as info:
        fetch_mnist(cache, mirrors=[base + "gone/"], checksums=checksums)
    message = str(info.value)
    assert str(bad) in message
    assert checksums[bad.name] in message and actual in message
    assert "404" in message                      # what the mirror said comes too
    assert not bad.exists()                      # the bad file no longer looks like a cache hit
    aside = [p for p in cache.iterdir() if p.name.startswith(bad.name + ".bad")]
    assert len(aside) == 1 and aside[0].read_bytes() == b"garbage"
    assert str(aside[0]) in message
