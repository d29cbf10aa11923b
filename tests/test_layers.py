"""The architecture as a test: data flows one way and no module imports a layer above it;
JSON smets_data is the MMC SMETSData read by one rule; import pandc stays light."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
import xmltodict

import pandc
from pandc.io.jsonl import message_record
from pandc.security import KeyStore

from conftest import KEYSTORE, is_response_or_alert, require, rtds_messages

PACKAGE = Path(pandc.__file__).resolve().parent

# Lower number = lower layer. A module may import its own layer or lower ones only.
LAYERS = {
    "errors": 0, "registry": 0, "responsecodes": 0, "hardened_xml": 0, "_gbcs_header": 0,
    "schemas": 0,
    "codec": 1,
    "values": 2,
    "security": 3,
    "usecases": 4,
    "message": 5,
    "mmc": 6, "io": 6, "duis": 6, "correlate": 6,
    "api": 7, "workers": 7, "testing": 7, "testing_duis": 7, "dask": 7, "spark": 7, "tables": 7,
    "cli": 8, "duis.cli": 8, "correlate.cli": 8, "__init__": 8,
}


def _layer(module: str) -> int | None:
    """The layer of the longest entry that is the module or a package above it."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        layer = LAYERS.get(".".join(parts[:end]))
        if layer is not None:
            return layer
    return None


def _imports(path: Path) -> list[tuple[str, int]]:
    """(absolute module below pandc, line) for every pandc import in the file, type-only
    imports included (they still describe a dependency of the design)."""
    relative_to = path.relative_to(PACKAGE).with_suffix("")
    package_parts = list(relative_to.parts[:-1]) if relative_to.name != "__init__" else list(relative_to.parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[:len(package_parts) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:
                    # `from . import x`: x is a submodule, or a name from the package itself
                    for alias in node.names:
                        candidate = f"{target}.{alias.name}".strip(".")
                        module_path = PACKAGE.joinpath(*candidate.split("."))
                        if module_path.with_suffix(".py").exists() or module_path.is_dir():
                            found.append((candidate, node.lineno))
                        else:
                            found.append((target or "__init__", node.lineno))
                    continue
                found.append((target, node.lineno))
            elif node.module and node.module.startswith("pandc."):
                found.append((node.module[len("pandc."):], node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("pandc."):
                    found.append((alias.name[len("pandc."):], node.lineno))
    return found


def test_no_module_imports_a_layer_above_it():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
        own_layer = _layer(own)
        assert own_layer is not None, f"{own} has no layer in LAYERS: place it"
        for target, line in _imports(path):
            target_layer = _layer(target)
            assert target_layer is not None, f"{own}:{line} imports {target}, which has no layer"
            if target_layer > own_layer:
                problems.append(f"{own}:{line} imports {target} (layer {target_layer} > {own_layer})")
    assert not problems, "\n".join(problems)


def test_import_pandc_does_not_import_xmlschema():
    code = "import sys, pandc; print('xmlschema' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_decode_refuses_other_types_with_what_it_accepts():
    for wrong in (None, 12, ["DD00"], object()):
        with pytest.raises(TypeError, match="bytes, bytearray, memoryview or str"):
            pandc.decode(wrong)  # type: ignore[arg-type]


def test_decode_takes_every_bytes_like_and_text(rtds_sample):
    data = rtds_sample
    expected = pandc.decode(data)
    for form in (bytearray(data), memoryview(data), data.hex(), data.hex().upper()):
        assert pandc.decode(form) == expected


@pytest.fixture(scope="module")
def rtds_sample() -> bytes:
    return next(data for path, data in rtds_messages() if is_response_or_alert(path))


def _strip(tree):
    """xmltodict's output with namespace prefixes dropped from keys (the JSON rule's names
    are local names)."""
    if isinstance(tree, dict):
        return {key.split(":")[-1]: _strip(value) for key, value in tree.items()
                if not key.startswith("@xmlns")}
    if isinstance(tree, list):
        return [_strip(item) for item in tree]
    return tree


def test_json_smets_data_equals_mmc_smets_data_read_by_the_rule():
    """For every RTDS response and alert (with keys, so encrypted reads decode too): the JSON
    line's smets_data equals the MMC SMETSData content as xmltodict reads it, and is absent
    exactly when the document has no SMETSData."""
    keys = KeyStore.from_directory(require(KEYSTORE))
    pairs = [(path, data) for path, data in rtds_messages() if is_response_or_alert(path)]
    with_values = 0
    for (path, _), message in zip(pairs, pandc.decode_many([d for _, d in pairs], keys=keys)):
        record = json.loads(json.dumps(message_record(str(path), message)))
        document = xmltodict.parse(pandc.to_mmc(message), process_namespaces=False)
        body = _strip(document)["GBCSResponse"]["Body"]
        holder = body.get("ResponseMessage") or body.get("DeviceAlertMessage") or {}
        if message.cra == "response":
            key, smets = "smets_data", holder.get("SMETSData")
        else:
            content = holder.get("DeviceAlertContent")
            key, smets = "device_alert_content", (None if content is None
                                                  else {"DeviceAlertContent": content})
        if smets is None:
            assert key not in record, path.name
            continue
        with_values += 1
        assert record[key] == smets, path.name
    assert with_values >= 29
