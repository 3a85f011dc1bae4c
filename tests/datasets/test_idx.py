import gzip

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from scratch_genmod.datasets import load_idx, load_mnist

from .idx_writer import idx_bytes, write_idx


@settings(max_examples=40)
@given(array=st.sampled_from(["uint8", "int8", "int16", "int32", "float32", "float64"]).flatmap(
    lambda dt: arrays(dt, array_shapes(min_dims=1, max_dims=4, max_side=5))),
    compress=st.booleans())
def test_idx_round_trip(array, compress, tmp_path_factory):
    path = write_idx(tmp_path_factory.mktemp("idx") / "a.idx", array, compress)
    back = load_idx(path)
    assert back.dtype == array.dtype and back.dtype.isnative
    np.testing.assert_array_equal(back, array)


def test_values_are_big_endian_on_disk(tmp_path):
    path = tmp_path / "b.idx"
    path.write_bytes(bytes([0, 0, 0x0C, 1, 0, 0, 0, 2]) + bytes([0, 0, 1, 2, 255, 255, 255, 255]))
    assert load_idx(path).tolist() == [258, -1]


@pytest.mark.parametrize("data, pattern", [
    (b"\x00\x00", "too short"),
    (b"\x01\x00\x08\x01\x00\x00\x00\x01\x07", "is not an IDX file: magic number 01000801"),
    (b"\x00\x00\x07\x01\x00\x00\x00\x01\x07", "is not an IDX file"),
    (b"\x00\x00\x08\x03\x00\x00\x00\x01", "truncated: its header needs 16 bytes"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x05\x01\x02", "holds 2 bytes of values but its header announces shape \\(5,\\)"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x01\x01\x02", "holds 2 bytes"),
])
def test_bad_files_are_rejected_naming_the_file(tmp_path, data, pattern):
    path = tmp_path / "broken.idx"
    path.write_bytes(data)
    with pytest.raises(ValueError, match="broken.idx.*" + pattern):
        load_idx(path)


def test_damaged_gzip_and_missing_file(tmp_path):
    path = tmp_path / "broken.idx.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.zeros((10, 4), np.uint8)))[:-12])
    with pytest.raises(ValueError, match="broken.idx.gz is a damaged gzip file"):
        load_idx(path)
    with pytest.raises(FileNotFoundError, match="nothing.idx"):
        load_idx(tmp_path / "nothing.idx")


def write_fake_mnist(folder, n_train=6, n_test=4, compress=True, seed=0):
    rng = np.random.default_rng(seed)
    arrays = [rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
              rng.integers(0, 10, n_train).astype(np.uint8),
              rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
              rng.integers(0, 10, n_test).astype(np.uint8)]
    names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
    for name, array in zip(names, arrays):
        write_idx(folder / (name + (".gz" if compress else "")), array, compress)
    return arrays


@pytest.mark.parametrize("compress", [True, False])
def test_load_mnist_reads_the_four_files(tmp_path, compress):
    expected = write_fake_mnist(tmp_path, compress=compress)
    for got, want in zip(load_mnist(tmp_path), expected):
        np.testing.assert_array_equal(got, want)
        assert got.dtype == np.uint8


def test_load_mnist_missing_and_mismatched(tmp_path):
    write_fake_mnist(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match=r"t10k-labels-idx1-ubyte\[.gz\].*fetch_mnist"):
        load_mnist(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.zeros(3, np.uint8), compress=True)
    with pytest.raises(ValueError, match=r"t10k-images-idx3-ubyte.gz holds images of shape \(4, 28, 28\)"):
        load_mnist(tmp_path)


def test_load_mnist_verify_names_each_file_that_is_not_the_published_one(tmp_path):
    write_fake_mnist(tmp_path)                    # fake files: not the published bytes
    load_mnist(tmp_path)                          # verify=False reads them
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte\.gz.*SHA-256 [0-9a-f]{64}.*"
                                         r"440fcabf73cc546fa2"):
        load_mnist(tmp_path, verify=True)


def test_load_mnist_verify_with_own_checksums(tmp_path):
    import hashlib
    expected = write_fake_mnist(tmp_path)
    sums = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    for got, want in zip(load_mnist(tmp_path, verify=sums), expected):
        np.testing.assert_array_equal(got, want)
    sums.pop("t10k-labels-idx1-ubyte.gz")
    with pytest.raises(ValueError, match="no checksum for t10k-labels-idx1-ubyte.gz"):
        load_mnist(tmp_path, verify=sums)
    with pytest.raises(ValueError, match="verify must be"):
        load_mnist(tmp_path, verify="yes")


def test_known_checksums_match_the_shared_files_when_present():
    from pathlib import Path
    folder = Path(__file__).resolve().parents[3] / "shared" / "data"
    for name in ("mnist", "fashion-mnist"):
        if not (folder / name).is_dir():
            pytest.skip("shared data not beside the repository")
        X_train, y_train, X_test, y_test = load_mnist(folder / name, verify=True)
        assert X_train.shape == (60000, 28, 28) and y_test.shape == (10000,)


@pytest.mark.parametrize("shape, announced", [
    ((2**31, 2**31, 4), f"{2**64} bytes"),  # np.prod in int64 wrapped to 0
    ((2**32 - 1, 2**32 - 1), f"{(2**32 - 1)**2} bytes"),  # wrapped negative
])
def test_huge_headers_report_their_exact_size(tmp_path, shape, announced):
    header = bytes([0, 0, 0x08, len(shape)]) + b"".join(n.to_bytes(4, "big") for n in shape)
    path = tmp_path / "huge.idx"
    path.write_bytes(header + bytes(16))
    with pytest.raises(ValueError, match=rf"huge.idx holds 16 bytes of values but its header "
                                         rf"announces shape .* i.e. {announced}"):
        load_idx(path)


def test_too_many_dimensions(tmp_path):
    path = tmp_path / "deep.idx"
    path.write_bytes(bytes([0, 0, 0x08, 255]) + (1).to_bytes(4, "big") * 255 + bytes(1))
    with pytest.raises(ValueError, match="deep.idx declares 255 dimensions, more than the 32"):
        load_idx(path)
    path.write_bytes(bytes([0, 0, 0x08, 32]) + (1).to_bytes(4, "big") * 32 + bytes(1))
    assert load_idx(path).shape == (1,) * 32  # the most an array may have: read


def test_a_path_that_is_not_one():
    with pytest.raises(TypeError, match="path must be a str or path-like, got NoneType"):
        load_idx(None)
    with pytest.raises(TypeError, match="directory must be a str or path-like, got NoneType"):
        load_mnist(None)


@pytest.mark.parametrize("labels, found", [
    (np.array([1.0, np.nan, 2.0, 3.0], np.float32), "holds float32"),
    (np.array([1, 2, 10, 3], np.uint8), "holds a label 10"),
])
def test_load_mnist_checks_labels_without_verify(tmp_path, labels, found):
    write_fake_mnist(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", labels, compress=True)
    with pytest.raises(ValueError, match=rf"t10k-labels-idx1-ubyte.gz {found}; MNIST labels are "
                                         r"the digits 0-9 as bytes"):
        load_mnist(tmp_path)


def test_load_mnist_checks_pixel_bytes(tmp_path):
    write_fake_mnist(tmp_path)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.ones((4, 28, 28), np.float64), True)
    with pytest.raises(ValueError, match=r"t10k-images-idx3-ubyte.gz holds float64 values; "
                                         r"MNIST images are bytes"):
        load_mnist(tmp_path)


def test_a_gzip_bomb_is_refused_within_the_budget(tmp_path, monkeypatch):
    from scratch_genmod.core import sizes
    data = idx_bytes(np.zeros((100, 28, 28), np.uint8))  # 78,416 bytes, a few hundred gzipped
    path = tmp_path / "bomb.idx.gz"
    path.write_bytes(gzip.compress(data))
    monkeypatch.setattr(sizes, "MEMORY_BUDGET", 10_000)
    with pytest.raises(ValueError, match=r"bomb.idx.gz decompresses to more than 10,000 bytes"):
        load_idx(path)
    monkeypatch.setattr(sizes, "MEMORY_BUDGET", len(data))  # exactly the size: read
    assert load_idx(path).shape == (100, 28, 28)
    # two gzip members one after the other are one file (as gzip reads them)
    half = len(data) // 2
    path.write_bytes(gzip.compress(data[:half]) + gzip.compress(data[half:]))
    assert load_idx(path).shape == (100, 28, 28)
    path.write_bytes(gzip.compress(data)[:-12])
    with pytest.raises(ValueError, match="bomb.idx.gz is a damaged gzip file"):
        load_idx(path)
