"""Turn a model file's metadata into the layout of format version 1, as older files are.

Version 1 named each class by its full path and stored no checksum.
"""

import json

from scratch_genmod.core.registry import registered_estimator


def as_version_1(meta_text):
    """The JSON text ``meta_text`` of a current file, rewritten as version 1 wrote it."""
    meta = json.loads(meta_text)
    meta["format_version"] = 1
    meta.pop("sha256", None)
    stack = [meta["model"]]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            cls = registered_estimator(value.get("__estimator__"))
            if cls is not None:
                value["__estimator__"] = f"{cls.__module__}.{cls.__qualname__}"
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return json.dumps(meta)
