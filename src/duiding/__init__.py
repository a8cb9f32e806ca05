"""duiding: samen naar de cijfers kijken.

The pipeline, one module per step:
data in (`iorw`, `cbs`) -> validated tables (`contract`, `controle`, `gegevens`)
-> indicators (`indicatoren`) -> privacy (`privacy`) -> tables for users (`cijfers`).
"""

__version__ = "0.1.0"

from .gegevens import Gegevens, laad  # noqa: E402
from .periode import Kwartaal  # noqa: E402

__all__ = ["Gegevens", "Kwartaal", "laad", "__version__"]
