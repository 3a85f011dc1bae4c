import io
import struct
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scratch_genmod.viz import colormap, image_grid, png_bytes, read_png, write_png


@settings(max_examples=30)
@given(st.integers(1, 17), st.integers(1, 17), st.sampled_from([None, 1, 3, 4]), st.data())
def test_png_round_trip_is_bit_exact(h, w, channels, data):
    shape = (h, w) if channels is None else (h, w, channels)
    image = data.draw(arrays(np.uint8, shape))
    back = read_png(io.BytesIO(png_bytes(image)))
    expected = image[:, :, 0] if channels == 1 else image
    assert back.dtype == np.uint8
    np.testing.assert_array_equal(back, expected)


def test_png_file_and_float_scaling(tmp_path):
    image = np.array([[0.0, 0.5, 1.0]])
    path = write_png(tmp_path / "a.png", image)
    assert read_png(path).tolist() == [[0, 128, 255]]


def test_png_header_is_standard():
    data = png_bytes(np.zeros((3, 5, 3), np.uint8))
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (length, kind, width, height, depth, colour) == (13, b"IHDR", 5, 3, 8, 2)


def _chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(ihdr, raw):
    """A PNG built by hand from its IHDR fields and its raw (filtered) scanlines."""
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(raw))
            + _chunk(b"IEND", b""))


def _png_with_filters(rows, filters, bpp):
    """A grey/RGB PNG whose scanlines use the given filter bytes."""
    h, n = rows.shape
    ihdr = struct.pack(">IIBBBBB", n // bpp, h, 8, 0 if bpp == 1 else 2, 0, 0, 0)
    return _png(ihdr, b"".join(bytes([f]) + r.tobytes() for f, r in zip(filters, rows)))


def test_reader_undoes_sub_and_up_filters():
    image = np.array([[10, 20, 30, 250], [5, 5, 5, 5], [0, 255, 1, 2]], dtype=np.uint8)
    encoded = image.copy()
    encoded[0, 1:] = image[0, 1:] - image[0, :-1]          # Sub, 1 byte per pixel
    encoded[1] = image[1] - image[0]                        # Up
    data = _png_with_filters(encoded, [1, 2, 0], bpp=1)
    np.testing.assert_array_equal(read_png(io.BytesIO(data)), image)


@pytest.mark.parametrize("mutate, pattern", [
    (lambda d: b"GIF89a" + d[6:], "not a PNG"),
    (lambda d: d[:40], "truncated"),
    (lambda d: d[:30] + bytes([d[30] ^ 1]) + d[31:], "CRC mismatch"),
])
def test_reader_rejects_broken_files(mutate, pattern):
    data = png_bytes(np.zeros((4, 4), np.uint8))
    with pytest.raises(ValueError, match=pattern):
        read_png(io.BytesIO(mutate(data)))


@pytest.mark.parametrize("image, exc, pattern", [
    (np.full((2, 2), 1.5), ValueError, r"finite values in \[0, 1\]"),
    (np.full((2, 2), np.nan), ValueError, "finite values"),
    (np.zeros((2, 2), np.int64), TypeError, "must be uint8"),
    (np.zeros((2, 2, 2, 2)), ValueError, "image must have shape"),
    (np.zeros((2, 2, 5)), ValueError, "image must have shape"),
    (np.zeros((0, 3)), ValueError, "image must have shape"),
])
def test_writer_rejects_bad_images(image, exc, pattern):
    with pytest.raises(exc, match=pattern):
        png_bytes(image)


def test_image_grid_places_every_image():
    images = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3)
    grid = image_grid(images, ncols=3, pad=1, pad_value=-1.0)
    assert grid.shape == (2 * (2 + 1) + 1, 3 * (3 + 1) + 1)
    for k in range(5):  # naive placement, independent of the reshaping trick
        r, c = divmod(k, 3)
        top, left = 1 + r * 3, 1 + c * 4
        np.testing.assert_array_equal(grid[top:top + 2, left:left + 3], images[k])
    assert (grid[4:6, 9:12] == -1.0).all()          # the empty sixth slot
    assert (grid[0] == -1.0).all() and (grid[:, -1] == -1.0).all()


def test_image_grid_scale_makes_blocks_of_pixels():
    images = np.random.default_rng(3).random((5, 4, 3))
    plain = image_grid(images, ncols=2, pad=1)
    assert np.array_equal(image_grid(images, ncols=2, pad=1, scale=3), np.kron(plain, np.ones((3, 3))))
    with pytest.raises(ValueError, match="scale must be >= 1"):
        image_grid(images, scale=0)


def test_image_grid_flat_and_rgb():
    assert image_grid(np.zeros((4, 16)), ncols=2, pad=0).shape == (8, 8)
    assert image_grid(np.zeros((3, 2, 2, 3)), ncols=3, pad=1).shape == (4, 10, 3)
    with pytest.raises(ValueError, match="15 is not a square"):
        image_grid(np.zeros((2, 15)))
    with pytest.raises(ValueError, match="pad must be >= 0"):
        image_grid(np.zeros((2, 2, 2)), pad=-1)


def test_colormap_is_monotone_in_lightness():
    rgb = colormap(np.linspace(0, 1, 50)).astype(float)
    assert rgb.shape == (50, 3)
    luma = rgb @ [0.2126, 0.7152, 0.0722]
    assert (np.diff(luma) > 0).all()
    np.testing.assert_array_equal(colormap([[5.0, 10.0]], vmin=0, vmax=5), [[[253, 231, 37]] * 2])
    assert colormap(np.full((2, 2), 3.0)).shape == (2, 2, 3)   # constant: no division by 0
    with pytest.raises(ValueError, match="vmax must be >= vmin"):
        colormap([1.0], vmin=2.0, vmax=1.0)


@pytest.mark.parametrize("data, pattern", [
    (b"\x89PNG\r\n\x1a\n" + _chunk(b"IEND", b""), "has no IHDR chunk"),
    (_png(struct.pack(">IIBBBBB", 2, 1, 16, 0, 0, 0, 0), b"\x00" * 5),
     "bit depth 16, colour type 0, interlace 0; only 8-bit"),
    (_png(struct.pack(">IIBBBBB", 2, 1, 8, 3, 0, 0, 0), b"\x00" * 3), "colour type 3"),
    (_png(struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0), b"\x00" * 5),
     "has 5 bytes of pixel data, expected 6"),
    (_png(struct.pack(">IIBBBBB", 2, 1, 8, 0, 0, 0, 0), b"\x04\x01\x02"), "scanline filter 4"),
    (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", b"\x00" * 13)[:12], "truncated inside chunk b'IHDR'"),
])
def test_reader_rejects_what_it_cannot_read(data, pattern):
    with pytest.raises(ValueError, match=pattern):
        read_png(io.BytesIO(data))


def test_reader_skips_ancillary_chunks_and_joins_split_idat():
    image = np.arange(12, dtype=np.uint8).reshape(3, 4)
    raw = zlib.compress(b"".join(b"\x00" + row.tobytes() for row in image))
    data = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 0, 0, 0, 0))
            + _chunk(b"tEXt", b"Comment\x00hello") + _chunk(b"IDAT", raw[:5])
            + _chunk(b"IDAT", raw[5:]) + _chunk(b"IEND", b""))
    np.testing.assert_array_equal(read_png(io.BytesIO(data)), image)


def test_writer_rejects_integer_and_boolean_images_other_than_uint8():
    with pytest.raises(TypeError, match="must be uint8 or floats"):
        png_bytes(np.zeros((2, 2), bool))
    with pytest.raises(TypeError, match="image of integers must be uint8"):
        png_bytes(np.zeros((2, 2), np.uint16))
