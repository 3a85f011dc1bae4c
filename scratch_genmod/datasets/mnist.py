"""MNIST: read the four IDX files from a folder, or download them once.

``fetch_mnist`` tries each mirror in turn, checks every file's SHA-256
against the published file, and writes it atomically (to a temporary file
in the cache folder, renamed only once complete and verified), so an
interrupted or tampered download never leaves a file that looks valid. A
cached file whose checksum is wrong is renamed ``<name>.bad-<sha>`` before the
mirrors are tried, and the error, if they fail too, says so first.
"""

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

from scratch_genmod.core import check_scalar
from scratch_genmod.datasets.idx import check_path, load_idx

__all__ = ["load_mnist", "fetch_mnist", "MNIST_FILES", "FASHION_MNIST_FILES", "MNIST_MIRRORS"]

# standard file name -> SHA-256 of the gzipped file as distributed since 1998
# (the files whose MD5s f68b3c2d..., d53e105e..., 9fb629c4..., ec29112d... are
# the well-known canonical ones)
MNIST_FILES = {
    "train-images-idx3-ubyte.gz":
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz":
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz":
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz":
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

# the same for the uncompressed IDX files (``load_mnist`` reads either form)
MNIST_IDX_FILES = {
    "train-images-idx3-ubyte":
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte":
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte":
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte":
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

# Fashion-MNIST (Zalando Research, 2017), same file names, as released
FASHION_MNIST_FILES = {
    "train-images-idx3-ubyte.gz":
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
    "train-labels-idx1-ubyte.gz":
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
    "t10k-images-idx3-ubyte.gz":
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
    "t10k-labels-idx1-ubyte.gz":
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
}

# tried in order; the original site is last because it often refuses robots
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)

_ORDER = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def load_mnist(directory, verify=False):
    """Read MNIST (or Fashion-MNIST) from the four standard IDX files in ``directory``.

    Each file may be gzipped (``name.gz``) or not (``name``).

    Parameters
    ----------
    directory : str or os.PathLike
    verify : bool or dict of str -> str, default=False
        True checks each file's SHA-256 against the published MNIST or
        Fashion-MNIST file of its name (gzipped, or MNIST's uncompressed IDX
        file); a dict gives file name -> expected SHA-256 (hex) instead.

    Returns
    -------
    X_train : ndarray of shape (60000, 28, 28), uint8
    y_train : ndarray of shape (60000,), uint8
    X_test : ndarray of shape (10000, 28, 28), uint8
    y_test : ndarray of shape (10000,), uint8
        (Other sizes when the files hold other sizes.)

    Raises
    ------
    FileNotFoundError
        Listing the missing files (``fetch_mnist`` downloads them).
    ValueError
        If a file is damaged (see :func:`load_idx`), images and labels do not
        match, or (with ``verify``) a file is not the expected one.
    """
    known = _known_checksums(verify)
    directory = check_path(directory, "directory")
    paths, missing = [], []
    for stem in _ORDER:
        found = [directory / name for name in (stem + ".gz", stem) if (directory / name).is_file()]
        paths.append(found[0] if found else None)
        if not found:
            missing.append(stem + "[.gz]")
    if missing:
        raise FileNotFoundError(f"directory {str(directory)!r} lacks the MNIST file(s) "
                                f"{', '.join(missing)}; fetch_mnist() downloads them")
    if known is not None:
        for path in paths:
            _verify(path, known)
    X_train, y_train, X_test, y_test = (load_idx(p) for p in paths)
    for images, labels, part in ((X_train, y_train, 0), (X_test, y_test, 2)):
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(f"{paths[part].name} holds images of shape {images.shape} but "
                             f"{paths[part + 1].name} labels of shape {labels.shape}; expected "
                             "(n, height, width) and (n,)")
        _check_contents(images, labels, paths[part], paths[part + 1])
    return X_train, y_train, X_test, y_test


def _check_contents(images, labels, image_path, label_path):
    """What can be checked cheaply without checksums: pixel bytes, labels 0..9 (10 classes)."""
    if images.dtype != np.uint8:
        raise ValueError(f"{image_path} holds {images.dtype} values; MNIST images are bytes "
                         "(uint8, type code 08): a corrupted or foreign file")
    if labels.dtype != np.uint8 or (labels.size and labels.max() > 9):
        found = labels.dtype if labels.dtype != np.uint8 else f"a label {int(labels.max())}"
        raise ValueError(f"{label_path} holds {found}; MNIST labels are the digits 0-9 as bytes "
                         "(uint8): a corrupted file (load_mnist(directory, verify=True) checks "
                         "the published checksums)")


def fetch_mnist(cache_dir=None, mirrors=MNIST_MIRRORS, checksums=None, timeout=60.0,
                load=True):
    """Download MNIST once into ``cache_dir`` (verified), then read it from there.

    Parameters
    ----------
    cache_dir : str or os.PathLike or None, default=None
        None means ``$SCRATCH_GENMOD_DATA/mnist`` if that variable is set,
        else ``~/.cache/scratch_genmod/mnist``.
    mirrors : sequence of str, default=MNIST_MIRRORS
        Base URLs (http or https) tried in order for each file.
    checksums : dict of str -> str or None, default=None
        File name -> expected SHA-256 (hex); None is :data:`MNIST_FILES`.
    timeout : float, default=60.0
        Seconds to wait on a silent connection.
    load : bool, default=True
        Return the arrays (as :func:`load_mnist`); False returns the folder.

    Returns
    -------
    (X_train, y_train, X_test, y_test) or pathlib.Path

    Raises
    ------
    OSError
        If a file could not be obtained from any mirror; the message lists
        what each mirror answered (including checksum mismatches), after the
        cached copy's mismatch (its path, the expected and actual SHA-256,
        and where it was moved) when there was one.
    """
    checksums = MNIST_FILES if checksums is None else dict(checksums)
    timeout = check_scalar(timeout, "timeout", min_val=0.0, include_min=False)
    if isinstance(mirrors, str) or not mirrors:
        raise ValueError(f"mirrors must be a non-empty sequence of base URLs, got {mirrors!r}")
    for url in mirrors:
        if not str(url).startswith(("http://", "https://")):
            raise ValueError(f"mirrors must be http:// or https:// URLs, got {url!r}")
    if cache_dir is None:
        root = os.environ.get("SCRATCH_GENMOD_DATA")
        cache_dir = (Path(root) if root else Path.home() / ".cache" / "scratch_genmod") / "mnist"
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for name, sha256 in checksums.items():  # loop over the four files
        target = cache_dir / name
        damaged = None
        if target.is_file():
            actual = _sha256_of_file(target)
            if actual == sha256:
                continue  # already downloaded and intact
            damaged = _move_aside(target, actual, sha256)
        _download(name, sha256, target, mirrors, timeout, damaged)
    return load_mnist(cache_dir) if load else cache_dir


def _download(name, sha256, target, mirrors, timeout, damaged=None):
    """Fetch ``name`` from the first mirror that serves the right bytes.

    ``damaged`` is the report of a cached copy that failed its checksum: it
    heads the error if no mirror serves the file either.
    """
    # Imported here: the network modules cost more at import time than the rest of the package.
    import http.client
    import urllib.request

    failures = [] if damaged is None else [damaged]
    for base in mirrors:  # loop over mirrors until one succeeds
        url = base.rstrip("/") + "/" + name
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".part",
                                             dir=target.parent)
        try:
            digest, received = hashlib.sha256(), 0
            with os.fdopen(handle, "wb") as out, \
                    urllib.request.urlopen(url, timeout=timeout) as response:
                announced = response.headers.get("Content-Length")
                while block := response.read(1 << 16):
                    digest.update(block)
                    out.write(block)
                    received += len(block)
            if announced is not None and received != int(announced):
                failures.append(f"{url}: connection closed after {received} of "
                                f"{announced} bytes")
                continue
            if digest.hexdigest() != sha256:
                failures.append(f"{url}: SHA-256 {digest.hexdigest()} instead of {sha256}")
                continue
            os.replace(temporary, target)  # atomic: the file appears complete or not at all
            return
        except (OSError, http.client.HTTPException) as exc:  # URLError, HTTPError,
            # timeouts, disk errors, and a connection cut mid-file (IncompleteRead)
            failures.append(f"{url}: {exc}")
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
    raise OSError(f"could not download {name} from any mirror:\n  " + "\n  ".join(failures))


def _move_aside(path, actual, expected):
    """Rename a cached file whose checksum is wrong, so it is never taken for a good one."""
    aside = path.with_name(f"{path.name}.bad-{actual[:12]}")
    os.replace(path, aside)
    return (f"cached {path} had SHA-256 {actual} instead of {expected}; "
            f"moved to {aside}")


def _known_checksums(verify):
    """The accepted SHA-256s per file name for ``load_mnist(verify=...)``, or None."""
    if verify is False:
        return None
    if verify is True:
        known = {}
        for table in (MNIST_FILES, FASHION_MNIST_FILES, MNIST_IDX_FILES):
            for name, sha256 in table.items():
                known.setdefault(name, []).append(sha256)
        return known
    if isinstance(verify, dict):
        return {str(name): [str(sha256).lower()] for name, sha256 in verify.items()}
    raise ValueError("verify must be True, False or a dict of file name -> SHA-256, "
                     f"got {verify!r}")


def _verify(path, known):
    """Raise ValueError naming ``path`` unless its SHA-256 is one of ``known[path.name]``."""
    if path.name not in known:
        raise ValueError(f"verify has no checksum for {path.name} (in {path.parent}); "
                         "give one for each file read, or verify=False")
    actual = _sha256_of_file(path)
    if actual not in known[path.name]:
        raise ValueError(f"{path} has SHA-256 {actual}, not the expected "
                         f"{' or '.join(known[path.name])}; the file is damaged or another "
                         "data set's (fetch_mnist() downloads the published files)")


def _sha256_of_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
