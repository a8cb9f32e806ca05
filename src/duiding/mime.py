"""The MIME types of what the kit's notebooks display, for the modules that read their outputs.

Kept apart from `grafieken` so that reading a report (draai, the verslag) does not import
the chart stack.
"""

VEGALITE = "application/vnd.vegalite.v6+json"  # Altair 6 / Vega-Lite 6 specs
SVG = "image/svg+xml"
