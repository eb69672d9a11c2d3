#!/usr/bin/python3
"""Validates HI1Message documents in the JSON encoding against ETSI's JSON schemas.

Usage: check_json_schema.py ETSI_DIR FILE...

ETSI_DIR is data/etsi: its ts103120/ tree holds the official JSON schemas of
TS 103 120 and of its dictionaries, and ts103280/TS_103_280.xsd the simple and
complex types of TS 103 280. ETSI publishes no JSON schema for TS 103 280 here,
so its "$defs" are derived from that XSD below, with the rules ETSI's own
schemas follow: a restriction of a string type is a JSON string with its
length and its pattern anchored at both ends (XSD patterns match the whole
value), a restriction of xs:integer is a JSON integer with its bounds, a choice
is exactly one of its elements, and a sequence is an object with each element
required and nothing else.

Each FILE is validated on its own. For every failure one line is printed,
"FILE: PATH: reason", PATH being the JSON path of the offending value. The exit
status is 0 when every file is valid, 1 when one is not, and 2 when the schemas
cannot be read.
"""

import json
import pathlib
import sys
import xml.etree.ElementTree as ElementTree

import jsonschema

XS = "{http://www.w3.org/2001/XMLSchema}"
ETSI280_ID = "ts_103280_2017_07"
ETSI280_PREFIX = "etsi"  # as in ETSI's examples ("@xmlns:etsi")
XSD_STRINGS = {"string", "normalizedString", "token", "anyURI", "dateTime", "hexBinary"}


def type_reference(name):
    local = name.split(":")[-1]
    if name.startswith("xs:"):
        if local in XSD_STRINGS:
            return {"type": "string"}
        if local == "integer":
            return {"type": "integer"}
        raise ValueError(f"TS 103 280 uses XSD type {name}, which this translation does not know")
    return {"$ref": f"#/$defs/{local}"}


def simple_type(node):
    restriction = node.find(XS + "restriction")
    if restriction is None:
        raise ValueError(f"simpleType {node.get('name')} is not a restriction")
    base = type_reference(restriction.get("base"))
    facets = {}
    patterns = [p.get("value") for p in restriction.findall(XS + "pattern")]
    if len(patterns) > 1:
        # In XSD, patterns given together are alternatives.
        facets["pattern"] = "^(?:" + "|".join(f"(?:{p})" for p in patterns) + ")$"
    elif patterns:
        facets["pattern"] = f"^(?:{patterns[0]})$"
    for facet, keyword in (("maxLength", "maxLength"), ("minLength", "minLength"),
                           ("minInclusive", "minimum"), ("maxInclusive", "maximum"),
                           ("minExclusive", "exclusiveMinimum"),
                           ("maxExclusive", "exclusiveMaximum")):
        element = restriction.find(XS + facet)
        if element is not None:
            facets[keyword] = int(element.get("value"))
    known = {"pattern", "maxLength", "minLength", "minInclusive", "maxInclusive",
             "minExclusive", "maxExclusive"}
    for child in restriction:
        if child.tag.replace(XS, "") not in known:
            raise ValueError(f"simpleType {node.get('name')} uses facet {child.tag}")
    if "type" in base:
        return {**base, **facets}
    return {"allOf": [base, facets]} if facets else base


def element_property(element):
    return f"{ETSI280_PREFIX}:{element.get('name')}", type_reference(element.get("type"))


def complex_type(node):
    choice = node.find(XS + "choice")
    sequence = node.find(XS + "sequence")
    if choice is not None:
        options = []
        for element in choice.findall(XS + "element"):
            key, schema = element_property(element)
            options.append({"type": "object", "properties": {key: schema}, "required": [key],
                            "additionalProperties": False})
        return {"oneOf": options}
    if sequence is not None:
        properties, required = {}, []
        for element in sequence.findall(XS + "element"):
            key, schema = element_property(element)
            properties[key] = schema
            if element.get("minOccurs", "1") != "0":
                required.append(key)
        return {"type": "object", "properties": properties, "required": required,
                "additionalProperties": False}
    raise ValueError(f"complexType {node.get('name')} is neither a choice nor a sequence")


def etsi280_schema(xsd_path):
    root = ElementTree.parse(xsd_path).getroot()
    defs = {}
    for node in root:
        if node.tag == XS + "simpleType":
            defs[node.get("name")] = simple_type(node)
        elif node.tag == XS + "complexType":
            defs[node.get("name")] = complex_type(node)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": ETSI280_ID,
            "$defs": defs}


def load_store(etsi_dir):
    store = {}
    for path in sorted((etsi_dir / "ts103120").rglob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        store[schema["$id"]] = schema
    store[ETSI280_ID] = etsi280_schema(etsi_dir / "ts103280" / "TS_103_280.xsd")
    return store


def json_path(error):
    return "/".join(str(p) for p in error.absolute_path) or "(root)"


def deepest(error):
    # A oneOf failure says only "is not valid under any of the given schemas";
    # the branch that got furthest names the real reason.
    # A branch refused only for its "@xsi:type" is a branch for another type.
    while error.context:
        own_type = [e for e in error.context
                    if not (e.absolute_path and e.absolute_path[-1] == "@xsi:type")]
        error = max(own_type or error.context, key=lambda e: len(e.absolute_path))
    return error


def main(argv):
    if len(argv) < 3:
        print("usage: check_json_schema.py ETSI_DIR FILE...", file=sys.stderr)
        return 2
    try:
        store = load_store(pathlib.Path(argv[1]))
        core = store["ts_103120_Core_2019_10"]
        message_schema = {"$schema": core["$schema"], "$id": "liaison_check",
                          "$ref": "ts_103120_Core_2019_10#/$defs/HI1Message"}
        resolver = jsonschema.RefResolver.from_schema(message_schema, store=store)
        validator = jsonschema.Draft202012Validator(message_schema, resolver=resolver)
    except (OSError, ValueError, KeyError) as e:
        print(f"check_json_schema: cannot read the schemas: {e}", file=sys.stderr)
        return 2
    failed = False
    for name in argv[2:]:
        try:
            document = json.loads(pathlib.Path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            print(f"{name}: (file): {e}")
            failed = True
            continue
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
            error = deepest(error)
            print(f"{name}: {json_path(error)}: {error.message}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
