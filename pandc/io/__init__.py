"""Sources (files, lines, DUIS documents) and sinks (JSON Lines, XML files) around the
pipeline; ``pandc.cli`` only wires them."""
