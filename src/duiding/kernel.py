"""The kit's Jupyter kernel (`kernels/duiding/kernel.json`): ipykernel, started without a grammar no report needs.

When the package `rfc3987_syntax` is installed (Jupyter's own dependencies bring it), `jsonschema`
imports it to check IRI formats, and building its grammar takes 1-2 s of every kernel that imports
Altair. No schema the kit validates (Vega-Lite's) has such a format, so in this kernel the module
is marked absent before anything imports it, and jsonschema simply skips that check. Processes
other than the kit's kernels are left as they are.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules: `import` raises ImportError
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher: nothing in the working folder shadows a package while loading
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
