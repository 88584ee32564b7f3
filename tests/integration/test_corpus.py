#!/usr/bin/env python3
"""symscope against the shared corpus: every fact MANIFEST.md records must agree.

The corpus (../shared/corpus) holds real PE/PDB/DBG/minidump/CAB files, and its
MANIFEST.md records what independent tools (pefile, llvm-readobj, llvm-pdbutil,
winedump, obj2yaml, cabextract) read from each one.  This test parses those facts
from the manifest (it hard-codes none of them, so it follows the manifest as it
changes) and checks that `symscope inspect --json FILE` reports the same.

The parser fails loudly on any manifest line or table it does not understand, and
the test asserts that many facts were found, so a format change in the manifest
cannot quietly leave the test checking nothing.

Environment: SYMSCOPE (the program), SYMSCOPE_CORPUS (the corpus directory).
Exit status: 0 all facts agree; 1 a disagreement or an unreadable manifest;
77 the corpus is absent (ctest counts the test as skipped).
"""
from __future__ import annotations

import ast
import csv
import hashlib
import html
import json
import operator
import os
import re
import struct
import sys
import unittest
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from symscope_test import CORPUS, SKIP, SYMSCOPE, run

MANIFEST = os.path.join(CORPUS, "MANIFEST.md")
MIN_FACTS = 200  # far fewer would mean the parser stopped understanding the manifest
REJECTED = "rejected"  # the "format" of files symscope must refuse (manifest kind "other")


class ManifestError(Exception):
    """MANIFEST.md holds something this parser does not understand."""


class _Absent:
    """What a JSON field that symscope did not write compares as."""

    def __repr__(self):
        return "<absent>"


ABSENT = _Absent()


@dataclass
class Fact:
    """One thing the manifest states about one corpus file."""

    file: str  # corpus-relative path
    name: str  # what is stated, in words, for the failure message
    expected: Any  # the manifest's value, already in symscope's vocabulary
    actual: Callable[["Corpus"], Any]  # reads the same thing from symscope (or the file)
    agrees: Callable[[Any, Any], bool] = operator.eq  # agrees(actual, expected)


def contains(actual, expected):
    return isinstance(actual, (str, list)) and expected in actual


# --- Running symscope ------------------------------------------------------------------


@dataclass
class Inspection:
    status: int
    stdout: str
    stderr: str
    json: Any  # the one JSON object printed, or None


class Corpus:
    """The corpus directory, with each file inspected by symscope once."""

    def __init__(self, root):
        self.root = root
        self._inspections = {}

    def path(self, rel):
        return os.path.join(self.root, rel)

    def inspect(self, rel):
        if rel not in self._inspections:
            self._inspections[rel] = self._run(rel)
        return self._inspections[rel]

    def _run(self, rel):
        status, out, err = run("inspect", "--json", self.path(rel))
        lines = out.splitlines()
        doc = None
        if status == 0 and len(lines) == 1:
            try:
                doc = json.loads(lines[0])
            except ValueError:
                pass  # the "exit status"/"format" facts then report the problem
        return Inspection(status, out, err, doc)

    def get(self, rel, key):
        """A field of the file's JSON by dotted path ("modules.3.pdb_key"), or ABSENT."""
        return dig(self.inspect(rel).json, key)


def dig(value, key):
    for part in key.split("."):
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return ABSENT
    return value


def json_field(rel, key, convert=None):
    """An `actual` reading one JSON field; `convert` normalises a present value."""

    def read(corpus):
        value = corpus.get(rel, key)
        return value if convert is None or value is ABSENT else convert(value)

    return read


def cab_member(rel, name, key):
    """An `actual` reading field `key` of the CAB member listed as `name`."""

    def read(corpus):
        members = corpus.get(rel, "members")
        for member in members if isinstance(members, list) else []:
            if isinstance(member, dict) and member.get("name") == name:
                return member.get(key, ABSENT)
        return ABSENT

    return read


def stamp_bytes(rel):
    """An `actual` giving a Portable PDB's 4 stamp bytes, in file order, as hex."""

    def read(corpus):
        portable = corpus.get(rel, "portable_pdb")
        if not isinstance(portable, dict):
            return ABSENT
        if "stamp_bytes" in portable:
            raw = portable["stamp_bytes"]
            text = bytes(raw).hex() if isinstance(raw, list) else str(raw)
            return re.sub(r"[^0-9A-Fa-f]", "", text).upper()
        if isinstance(portable.get("stamp"), int):
            # the stamp is the little-endian u32 of those bytes
            return struct.pack("<I", portable["stamp"]).hex().upper()
        return ABSENT

    return read


def file_sha256(rel):
    def read(corpus):
        with open(corpus.path(rel), "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    return read


def canonical_hex(text):
    """'0x00400000' and '0x400000' name the same address."""
    try:
        return f"0x{int(text, 16):x}"
    except (TypeError, ValueError):
        return text


# --- Manifest vocabulary -> symscope vocabulary --------------------------------------

MACHINE_NAMES = {"i386": "x86", "x86": "x86", "amd64": "x64", "x64": "x64", "arm64": "arm64"}
MACHINE_CODES = {0x014C: "x86", 0x8664: "x64", 0xAA64: "arm64"}

# pefile prints debug types it has no name for as numbers
DEBUG_TYPE_NUMBERS = {16: "repro", 17: "embedded-portable-pdb", 19: "pdb-checksum",
                      20: "ex-dllcharacteristics"}

# manifest "kind" (before the dash) -> symscope "format"; first full match wins
KINDS = [
    (r"Portable PDB\b.*", "portable-pdb"),
    (r"PDB \(MSF 7\.00\)", "pdb70"),
    (r"PDB \(2\.00 / JG\)", "pdb20"),
    (r"PE", "pe"),
    (r"\.dbg\b.*", "dbg"),
    (r"minidump", "minidump"),
    (r"CAB", "cab"),
    (r"other", REJECTED),
]

GUID = r"\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?"
PDB_KEY_ARROW = r" → \*\*PDB key `(\w+)`\*\*"


def machine(text):
    if text.lower().startswith("0x"):
        name = MACHINE_CODES.get(int(text, 16))
    else:
        name = MACHINE_NAMES.get(text.lower())
    if name is None:
        raise ManifestError(f"unknown machine {text!r}")
    return name


def debug_types(text):
    if text.strip() == "(none)":
        return []
    names = []
    for item in (part.strip() for part in text.split(",")):
        if item.isdigit() and int(item) in DEBUG_TYPE_NUMBERS:
            names.append(DEBUG_TYPE_NUMBERS[int(item)])
        elif re.fullmatch(r"[A-Z][A-Z0-9_]*", item):
            names.append(item.lower().replace("_", "-"))  # VC_FEATURE -> vc-feature
        else:
            raise ManifestError(f"unknown debug directory type {item!r}")
    return names


def symscope_format(kind):
    for pattern, name in KINDS:
        if re.fullmatch(pattern, kind):
            return name
    raise ManifestError(f"unknown file kind {kind!r}")


def boolean(text):
    return {"true": True, "false": False}[text]


# --- Markdown structure -----------------------------------------------------------------


@dataclass
class Section:
    h2: str
    h3: str | None
    lines: list = field(default_factory=list)


def split_sections(text):
    sections = [Section("", None)]
    for line in text.splitlines():
        if line.startswith("## "):
            sections.append(Section(line[3:].strip(), None))
        elif line.startswith("### "):
            sections.append(Section(sections[-1].h2, line[4:].strip()))
        else:
            sections[-1].lines.append(line)
    return sections


def sections_under(sections, h2_prefix):
    found = [s for s in sections if s.h2.startswith(h2_prefix)]
    if not found:
        raise ManifestError(f"no '## {h2_prefix}' section")
    return found


def code(text, what):
    """The content of a cell or heading that must be exactly one `code span`."""
    m = re.fullmatch(r"`([^`]+)`", text.strip())
    if not m:
        raise ManifestError(f"{what}: expected a `code` span, got {text!r}")
    return m.group(1)


def bullets(section, where):
    items = []
    for line in section.lines:
        if line.startswith("* "):
            items.append(line[2:].strip())
        elif line.strip():
            raise ManifestError(f"{where}: unexpected non-bullet line {line!r}")
    return items


def table(section, columns, where):
    """Rows of the section's table as dicts keyed by `columns`' keys.

    `columns` maps our key -> the start of the header text (headers may carry a
    parenthesised explanation, e.g. "code key (TimeDateStamp+SizeOfImage)")."""
    rows = [line.strip() for line in section.lines if line.strip().startswith("|")]
    if len(rows) < 3 or not re.fullmatch(r"\|(\s*-+\s*\|)+", rows[1]):
        raise ManifestError(f"{where}: no table with a header and rows")
    header = cells(rows[0])
    index = {}
    for key, title in columns.items():
        matches = [i for i, h in enumerate(header) if h.startswith(title)]
        if len(matches) != 1:
            raise ManifestError(f"{where}: table has no single column {title!r}: {header}")
        index[key] = matches[0]
    result = []
    for row in rows[2:]:
        values = cells(row)
        if len(values) != len(header):
            raise ManifestError(f"{where}: table row has {len(values)} cells: {row!r}")
        result.append({key: values[i] for key, i in index.items()})
    return result


def cells(row):
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


# --- "## Files": one section per corpus file -----------------------------------------

# Line kinds that must appear for each file kind, so a reworded line is an error
# rather than a fact silently no longer checked.
REQUIRED_LINES = {
    "pe": {"pe_header", "code_key", "debug_dir"},
    "dbg": {"dbg_header", "code_key"},
    "pdb70": {"pdb_layout", "pdb_info", "pdb_flags", "pdb_key"},
    "pdb20": {"jg_header", "pdb20_info"},
    "minidump": {"obj2yaml"},
    "cab": {"cabextract", "cab_member"},
    "portable-pdb": set(),  # its facts are in the kind line
    REJECTED: set(),
}


class FileSection:
    """Turns the bullet lines of one "### `path`" section into facts."""

    def __init__(self, rel, facts):
        self.rel = rel
        self.facts = facts
        self.format = None  # symscope format, or REJECTED
        self.description = ""
        self.seen = set()
        self.debug_types = None
        self.cab_members = []
        self.module_count = None
        # (line kind, regex matched against the whole bullet text, handler)
        self.lines = [
            ("kind", r"kind: (.+?) — (.*)", self.on_kind),
            ("size", r"size: (\d+) bytes; sha256 `([0-9a-f]{64})`", self.on_size),
            ("ignored", r"(source|ownership): .*", None),  # provenance, not identity
            ("pe_header", r"(PE32\+?) (\w+), Characteristics 0x([0-9A-Fa-f]+)( \([\w |,]+\))?",
             self.on_pe_header),
            ("code_key", r"TimeDateStamp (?:0x)?([0-9A-Fa-f]{1,8}), SizeOfImage 0x([0-9A-Fa-f]+)"
             r" → \*\*code key `(\w+)`\*\*", self.on_code_key),
            ("debug_dir", r"debug dir: (.+)", self.on_debug_dir),
            ("codeview", r"CodeView RSDS GUID " + GUID + r" age (\d+), path `([^`]*)`"
             + PDB_KEY_ARROW, self.on_rsds),
            ("codeview", r"CodeView NB10 signature ([0-9A-Fa-f]{8}) age (\d+), path `([^`]*)`"
             + PDB_KEY_ARROW, self.on_nb10),
            # "tool X agrees" lines restate facts already listed
            ("ignored", r"check: (llvm-readobj|winedump) [\w/]+:? agrees?", None),
            ("dbg_header", r"winedump: Signature DI, Machine (0x[0-9A-Fa-f]+), Characteristics"
             r" 0x([0-9A-Fa-f]+), 0x[0-9A-Fa-f]+ sections, debug dir types (.+)",
             self.on_dbg_header),
            ("dbg_struct", r"check: helper struct parse of IMAGE_SEPARATE_DEBUG_HEADER: sig=DI"
             r" machine=(0x[0-9A-Fa-f]+) ts=([0-9A-Fa-f]+) size=([0-9A-Fa-f]+) -> agrees",
             self.on_dbg_struct),
            ("obj2yaml", r"obj2yaml: (\w+) / (\w+), OS ([\d.]+), (\d+) modules; streams: (.+)",
             self.on_obj2yaml),
            ("module_count", r"check: winedump module list \(base,size\) agrees \((\d+) modules\)",
             self.on_module_count),
            ("pdb_layout", r"llvm-pdbutil: block size (\d+), (\d+) blocks, (\d+) streams",
             self.on_pdb_layout),
            ("pdb_info", r"GUID " + GUID + r", info-stream Age (\d+), Signature (\d+), DBI age"
             r" (\d+), DBI machine (\w+), \d+ DBI modules", self.on_pdb_info),
            ("pdb_flags", r"Has Debug Info \w+, Has Types \w+, Has Globals \w+,"
             r" \*\*Is stripped (true|false)\*\*", self.on_pdb_flags),
            ("pdb_key", r"\*\*PDB key `(\w+)`\*\*", self.on_pdb_key),
            ("winedump_pdb", r"check: winedump: guid/info-age/dbi-age agree (\{.*\})",
             self.on_winedump_pdb),
            ("jg_header", r"winedump: JG header, block size (\d+), root version (\d+)",
             self.on_jg_header),
            ("pdb20_info", r"signature ([0-9A-Fa-f]{8}), age (\d+), DBI age (\d+)" + PDB_KEY_ARROW,
             self.on_pdb20_info),
            ("ignored", r"check: llvm-pdbutil: .* is not a supported file type", None),
            ("ignored", r"`file`: .*", None),  # file(1)'s wording, not an identity
            ("cabextract", r"cabextract: (\d+) \| [^|]+ \| (.+); compression (\w+)",
             self.on_cabextract),
            ("cab_member", r"member `([^`]+)`: PDB \(MSF 7\.00\) GUID " + GUID + r" age (\d+)"
             r" DBI age (\d+) stripped (true|false)" + PDB_KEY_ARROW, self.on_cab_member_pdb),
            ("cab_member", r"member `([^`]+)`: other", self.on_cab_member_other),
            ("inner_pdb", r"check: inner (\S+): llvm-pdbutil GUID " + GUID + r" age (\d+)"
             r" dbi_age (\d+)", self.on_inner_pdb),
        ]

    # -- plumbing

    def add(self, name, expected, key=None, actual=None, agrees=operator.eq, convert=None):
        if actual is None:
            actual = json_field(self.rel, key, convert)
        self.facts.append(Fact(self.rel, name, expected, actual, agrees))

    def stderr(self):
        return lambda corpus: corpus.inspect(self.rel).stderr

    def parse(self, text):
        for line_kind, pattern, handler in self.lines:
            m = re.fullmatch(pattern, text)
            if not m:
                continue
            if self.format is None and line_kind != "kind":
                raise ManifestError(f"{self.rel}: a line comes before the kind line: {text!r}")
            if handler:
                handler(*m.groups())
            self.seen.add(line_kind)
            return
        raise ManifestError(f"{self.rel}: unrecognised manifest line: {text!r}")

    def finish(self):
        if self.format is None:
            raise ManifestError(f"{self.rel}: no kind line")
        missing = REQUIRED_LINES[self.format] - self.seen
        if missing:
            raise ManifestError(f"{self.rel}: no line of kind {sorted(missing)}")
        if self.format == "pe":
            self.finish_pe()
        if self.format == "cab":
            self.add("number of CAB members", len(self.cab_members), "members", convert=len)

    def finish_pe(self):
        if "codeview" in self.debug_types and "codeview" not in self.seen:
            raise ManifestError(f"{self.rel}: CODEVIEW debug entry but no CodeView line")
        if "codeview" not in self.debug_types:
            # no CodeView record, so nothing to find a PDB by
            self.add("no CodeView record", None, "codeview")
            self.add("no PDB key", None, "pdb_key")

    # -- what each line states

    def on_kind(self, kind, description):
        self.format = symscope_format(kind)
        self.description = description
        if self.format == REJECTED:
            self.expect_rejection()
            return
        self.add("exit status", 0, actual=lambda corpus: corpus.inspect(self.rel).status)
        self.add("format", self.format, "format")
        if self.format == "portable-pdb":
            self.expect_portable_pdb_id(description)

    def expect_rejection(self):
        self.add("rejected: exit status", 2, actual=lambda corpus: corpus.inspect(self.rel).status)
        self.add("rejected: nothing on stdout", "",
                 actual=lambda corpus: corpus.inspect(self.rel).stdout)
        self.add("rejected: stderr lines", 1,
                 actual=lambda corpus: len(corpus.inspect(self.rel).stderr.splitlines()))
        self.add("rejected: stderr names the file", self.rel, actual=self.stderr(),
                 agrees=contains)
        if re.search(r"Breakpad \.sym text", self.description):
            self.add("rejected as a Breakpad text", "Breakpad", actual=self.stderr(),
                     agrees=contains)

    def expect_portable_pdb_id(self, description):
        m = re.search(r"GUID " + GUID + r" \+ stamp ([0-9A-Fa-f]{8})", description)
        if not m:
            raise ManifestError(f"{self.rel}: Portable PDB without 'GUID ... + stamp ...'")
        self.add("Portable PDB GUID", m.group(1).upper(), "portable_pdb.guid")
        self.add("Portable PDB stamp bytes", m.group(2).upper(), actual=stamp_bytes(self.rel))

    def on_size(self, size, sha256):
        self.add("sha256 of the corpus file", sha256, actual=file_sha256(self.rel))
        if self.format != REJECTED:
            self.add("file size", int(size), "file_size")

    def on_pe_header(self, pe_type, machine_name, characteristics, _flag_names):
        flags = int(characteristics, 16)
        self.add("PE type", pe_type, "pe_type")
        self.add("machine", machine(machine_name), "machine")
        self.add("Characteristics", flags, "characteristics")
        self.add("DEBUG_STRIPPED (Characteristics 0x0200)", bool(flags & 0x0200), "debug_stripped")

    def on_code_key(self, timestamp, size_of_image, key):
        self.add("TimeDateStamp", int(timestamp, 16), "timestamp")
        self.add("SizeOfImage", int(size_of_image, 16), "size_of_image")
        self.add("code key", key, "image_key")

    def on_debug_dir(self, types):
        self.debug_types = debug_types(types)
        self.add("debug directory types", self.debug_types, "debug_directory")
        self.add("REPRO debug entry", "repro" in self.debug_types, "repro")

    def on_rsds(self, guid, age, path, key):
        self.add("CodeView format", "RSDS", "codeview.format")
        self.add("CodeView GUID", guid.upper(), "codeview.guid")
        self.add("CodeView age", int(age), "codeview.age")
        self.add("CodeView path", path, "codeview.path")
        self.add("PDB key", key, "pdb_key")
        points_to_portable = bool(re.search(r"points to a Portable PDB", self.description))
        self.add("CodeView names a Portable PDB", points_to_portable, "codeview.portable_pdb")

    def on_nb10(self, signature, age, path, key):
        self.add("CodeView format", "NB10", "codeview.format")
        self.add("CodeView signature", int(signature, 16), "codeview.signature")
        self.add("CodeView age", int(age), "codeview.age")
        self.add("CodeView path", path, "codeview.path")
        self.add("PDB key", key, "pdb_key")

    def on_dbg_header(self, machine_code, characteristics, types):
        # The section count is not reported by symscope, so it is not checked.
        self.debug_types = debug_types(types)
        self.add("machine", machine(machine_code), "machine")
        self.add("Characteristics", int(characteristics, 16), "characteristics")
        self.add("debug directory types", self.debug_types, "debug_directory")

    def on_dbg_struct(self, machine_code, timestamp, size_of_image):
        self.add("machine (header struct)", machine(machine_code), "machine")
        self.add("TimeDateStamp (header struct)", int(timestamp, 16), "timestamp")
        self.add("SizeOfImage (header struct)", int(size_of_image, 16), "size_of_image")

    def on_obj2yaml(self, arch, _platform, os_version, modules, streams):
        # symscope does not report the platform (Win32NT/Linux) or the stream list.
        self.module_count = int(modules)
        self.add("machine", machine(arch), "machine")
        self.add("OS version", os_version, "os_version")
        self.add("number of modules", self.module_count, "modules", convert=len)
        if "UnloadedModuleList" not in [s.strip() for s in streams.split(",")]:
            self.add("no unloaded modules (no UnloadedModuleList stream)", [], "unloaded_modules")

    def on_module_count(self, modules):
        self.add("number of modules (winedump)", int(modules), "modules", convert=len)

    def on_pdb_layout(self, block_size, blocks, streams):
        self.add("MSF block size", int(block_size), "pdb.block_size")
        self.add("MSF blocks", int(blocks), "pdb.blocks")
        self.add("MSF streams", int(streams), "pdb.streams")

    def on_pdb_info(self, guid, info_age, signature, dbi_age, dbi_machine):
        self.add("PDB GUID", guid.upper(), "pdb.guid")
        self.add("info-stream age", int(info_age), "pdb.info_age")
        self.add("info-stream signature", int(signature), "pdb.info_signature")
        self.add("DBI age", int(dbi_age), "pdb.dbi_age")
        # the key formulas: the age a PDB is filed under is the DBI age
        self.add("PDB age (= DBI age)", int(dbi_age), "pdb.age")
        self.add("machine (DBI)", machine(dbi_machine), "machine")

    def on_pdb_flags(self, stripped):
        # Has Debug Info/Types/Globals have no symscope counterpart.
        self.add("stripped", boolean(stripped), "pdb.stripped")

    def on_pdb_key(self, key):
        self.add("PDB key", key, "pdb_key")

    def on_winedump_pdb(self, literal):
        """winedump's reading of the same PDB, as a Python dict literal."""
        fields = {
            "guid": ("PDB GUID (winedump)", "pdb.guid", str.upper),
            "info_age": ("info-stream age (winedump)", "pdb.info_age", int),
            "dbi_age": ("DBI age (winedump)", "pdb.dbi_age", int),
            "signature": ("info-stream signature (winedump)", "pdb.info_signature",
                          lambda text: int(text, 16)),
            "root_version": ("info-stream version (winedump)", "pdb.info_version", int),
            "dbi_version": ("DBI version (winedump)", "pdb.dbi_version", int),
        }
        try:
            values = ast.literal_eval(literal)
        except (ValueError, SyntaxError) as e:
            raise ManifestError(f"{self.rel}: unreadable winedump dict {literal!r}") from e
        if not isinstance(values, dict) or set(values) != set(fields):
            raise ManifestError(f"{self.rel}: winedump dict {literal!r} does not have exactly "
                                f"the keys {sorted(fields)}")
        for name, (label, key, convert) in fields.items():
            self.add(label, convert(str(values[name])), key)

    def on_jg_header(self, block_size, root_version):
        self.add("MSF block size", int(block_size), "pdb.block_size")
        self.add("root (info) stream version", int(root_version), "pdb.info_version")

    def on_pdb20_info(self, signature, age, dbi_age, key):
        self.add("PDB signature", int(signature, 16), "pdb.signature")
        self.add("root (info) stream age", int(age), "pdb.info_age")
        self.add("DBI age", int(dbi_age), "pdb.dbi_age")
        self.add("PDB age (= DBI age)", int(dbi_age), "pdb.age")
        self.add("PDB key", key, "pdb_key")

    def on_cabextract(self, size, name, compression):
        # cabextract's date column has no symscope counterpart.
        self.cab_members.append(name)
        self.add(f"CAB member {name} listed", name, actual=cab_member(self.rel, name, "name"))
        self.add(f"CAB member {name} size", int(size), actual=cab_member(self.rel, name, "size"))
        self.add(f"CAB member {name} compression", compression,
                 actual=cab_member(self.rel, name, "compression"))

    def on_cab_member_pdb(self, name, guid, info_age, dbi_age, stripped, key):
        self.add("CAB member file", name, "member.file")
        self.add("CAB member format", "pdb70", "member.format")
        self.add("CAB member PDB GUID", guid.upper(), "member.pdb.guid")
        self.add("CAB member info-stream age", int(info_age), "member.pdb.info_age")
        self.add("CAB member DBI age", int(dbi_age), "member.pdb.dbi_age")
        self.add("CAB member stripped", boolean(stripped), "member.pdb.stripped")
        self.add("CAB member PDB key", key, "member.pdb_key")
        self.add("CAB PDB key", key, "pdb_key")
        self.add("no member error", None, "member_error")

    def on_cab_member_other(self, name):
        self.add("CAB member not read", None, "member")
        self.add("member error names the member", name, "member_error", agrees=contains)
        if re.search(r"Breakpad \.sym text", self.description):
            self.add("member rejected as a Breakpad text", "Breakpad", "member_error",
                     agrees=contains)

    def on_inner_pdb(self, name, guid, age, dbi_age):
        self.add("CAB member file (llvm-pdbutil)", name, "member.file")
        self.add("CAB member PDB GUID (llvm-pdbutil)", guid.upper(), "member.pdb.guid")
        self.add("CAB member info-stream age (llvm-pdbutil)", int(age), "member.pdb.info_age")
        self.add("CAB member DBI age (llvm-pdbutil)", int(dbi_age), "member.pdb.dbi_age")


def file_sections(sections, facts):
    """Facts of "## Files"; returns {path: FileSection}."""
    parsed = {}
    for section in sections_under(sections, "Files"):
        if section.h3 is None:
            continue  # the "Files: see the sections below" preamble
        rel = code(section.h3, "file heading")
        if rel in parsed:
            raise ManifestError(f"{rel}: two sections")
        file_section = FileSection(rel, facts)
        for text in bullets(section, rel):
            file_section.parse(text)
        file_section.finish()
        parsed[rel] = file_section
    if not parsed:
        raise ManifestError("'## Files' has no file sections")
    return parsed


# --- "## Minidump module lists": every module of every dump ----------------------------

MODULE_COLUMNS = {"index": "#", "name": "module", "base": "base", "image_key": "code key",
                  "cv": "CV", "pdb_file": "debug file", "pdb_key": "PDB key"}


def module_facts(sections, files, facts):
    dumps = {rel for rel, f in files.items() if f.format == "minidump"}
    tabled = set()
    for section in sections_under(sections, "Minidump module lists"):
        if section.h3 is None:
            continue
        rel = code(section.h3, "module list heading")
        if rel not in dumps:
            raise ManifestError(f"module list for {rel}, which is not a minidump in '## Files'")
        rows = table(section, MODULE_COLUMNS, rel)
        if len(rows) != files[rel].module_count:
            raise ManifestError(f"{rel}: {len(rows)} table rows but obj2yaml says "
                                f"{files[rel].module_count} modules")
        for i, row in enumerate(rows):
            facts.extend(one_module(rel, i, row))
        tabled.add(rel)
    if tabled != dumps:
        raise ManifestError(f"minidumps without a module list: {sorted(dumps - tabled)}")


def one_module(rel, i, row):
    if row["index"] != str(i):
        raise ManifestError(f"{rel}: module row {i} is numbered {row['index']!r}")
    prefix = f"modules.{i}"
    yield Fact(rel, f"module {i} name", code(row["name"], rel), json_field(rel, f"{prefix}.name"))
    yield Fact(rel, f"module {i} base", canonical_hex(row["base"]),
               json_field(rel, f"{prefix}.base", canonical_hex))
    yield Fact(rel, f"module {i} code key", code(row["image_key"], rel),
               json_field(rel, f"{prefix}.image_key"))
    yield Fact(rel, f"module {i} CodeView format", row["cv"],
               json_field(rel, f"{prefix}.codeview.format"))
    yield Fact(rel, f"module {i} debug file", code(row["pdb_file"], rel),
               json_field(rel, f"{prefix}.pdb_file"))
    yield Fact(rel, f"module {i} PDB key", code(row["pdb_key"], rel),
               json_field(rel, f"{prefix}.pdb_key"))


# --- "## Pairs": which image matches which symbol file ----------------------------------

PAIR_COLUMNS = {"image": "image", "symbols": "symbol file", "key": "key", "how": "how matched"}


def pair_facts(sections, facts):
    rows = []
    for section in sections_under(sections, "Pairs"):
        rows += table(section, PAIR_COLUMNS, "Pairs")
    for row in rows:
        facts.extend(one_pair(row))
    if not rows:
        raise ManifestError("'## Pairs' has no rows")


def one_pair(row):
    image = code(row["image"], "Pairs image")
    key = code(row["key"], "Pairs key")
    # an image and its .dbg share the code key; an image and its PDB share the PDB key
    key_field = "image_key" if "TimeDateStamp+SizeOfImage" in row["how"] else "pdb_key"
    yield Fact(image, f"pair key ({key_field})", key, json_field(image, key_field))

    absent = re.fullmatch(r"\(none in corpus: `([^`]+)`\)", row["symbols"])
    if absent:
        yield Fact(image, "pair: PDB file name", absent.group(1), json_field(image, "pdb_file"))
        return
    m = re.fullmatch(r"`([^`( ]+)(?: \(member ([^)]+)\))?`", row["symbols"])
    if not m:
        raise ManifestError(f"Pairs: unreadable symbol file cell {row['symbols']!r}")
    symbols, member = m.groups()
    if member:
        yield Fact(symbols, "pair: CAB member", member, json_field(symbols, "member.file"))
        yield Fact(symbols, f"pair key (member {key_field})", key,
                   json_field(symbols, f"member.{key_field}"))
    else:
        yield Fact(symbols, f"pair key ({key_field})", key, json_field(symbols, key_field))


# --- "## Symbol-store layout fixture": the symstore/ directory --------------------------

STORE = "symstore"


def transaction_lists(m):
    rel = f"{STORE}/000Admin/{m.group(1)}"
    entries = re.findall(r"`([^`]+)`", m.group(2))
    return Fact(rel, "transaction entries", entries, transaction_entries(rel))


def last_id(m):
    rel = f"{STORE}/000Admin/lastid.txt"
    return Fact(rel, "last transaction id", m.group(1), file_text(rel))


def entry_is_dump_code_key(m):
    _, key, module, dump = m.groups()
    return Fact(dump, f"code key of {module} (symstore entry)", key,
                module_image_keys(dump, module), contains)


def entry_is_cab(m):
    rel = f"{STORE}/{m.group(1)}"
    return Fact(rel, "store entry is a CAB", "cab", json_field(rel, "format"))


# Statements of the symstore note; each must be found at least once.
SYMSTORE_STATEMENTS = [
    (r"`(?:000Admin/)?(\d{10})` lists ((?:`[^`]+`(?:, )?)+)", transaction_lists),
    (r"`lastid\.txt` = (\w+)", last_id),
    (r"`([^`\\]+)\\(\w+)` is exactly the code key of (\S+) in `([^`]+)`", entry_is_dump_code_key),
    (r"The entry `([^`]+)` is a CAB", entry_is_cab),
]


def symstore_facts(sections, facts):
    text = " ".join(line.strip() for s in sections_under(sections, "Symbol-store layout")
                    for line in s.lines)
    for pattern, fact in SYMSTORE_STATEMENTS:
        matches = list(re.finditer(pattern, text))
        if not matches:
            raise ManifestError(f"symstore note: no statement matching {pattern!r}")
        facts.extend(fact(m) for m in matches)


def transaction_entries(rel):
    """The first field (name\\key) of each line of a symstore transaction file."""

    def read(corpus):
        with open(corpus.path(rel), newline="", encoding="utf-8") as f:
            return [row[0] for row in csv.reader(f) if row]

    return read


def file_text(rel):
    def read(corpus):
        with open(corpus.path(rel), encoding="utf-8") as f:
            return f.read().strip()

    return read


def module_image_keys(dump, name):
    """Code keys of the dump's modules whose file name is `name` (any case)."""

    def read(corpus):
        modules = corpus.get(dump, "modules")
        if not isinstance(modules, list):
            return ABSENT
        return [m.get("image_key") for m in modules
                if isinstance(m, dict) and str(m.get("image_file", "")).lower() == name.lower()]

    return read


# --- The whole manifest -----------------------------------------------------------------


def parse_manifest(text):
    """All facts of the manifest, and the set of corpus files it describes."""
    sections = split_sections(html.unescape(text))  # &mdash; -> —, &rarr; -> →
    facts = []
    files = file_sections(sections, facts)
    module_facts(sections, files, facts)
    pair_facts(sections, facts)
    symstore_facts(sections, facts)
    return facts, set(files)


class CorpusManifestTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(SYMSCOPE, os.X_OK):
            raise AssertionError(f"symscope not found at {SYMSCOPE} (build it or set SYMSCOPE)")
        with open(MANIFEST, encoding="utf-8") as f:
            cls.facts, cls.described = parse_manifest(f.read())
        cls.corpus = Corpus(CORPUS)

    def test_enough_facts(self):
        self.assertGreater(len(self.facts), MIN_FACTS,
                           "the manifest parser found too few facts: has its format changed?")

    def test_manifest_describes_every_corpus_file(self):
        root = Path(CORPUS)
        on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
        on_disk.discard("MANIFEST.md")
        self.assertEqual(sorted(on_disk - self.described), [],
                         "corpus files without a manifest section")
        self.assertEqual(sorted(self.described - on_disk), [],
                         "manifest sections without a corpus file")

    def test_symscope_agrees_with_manifest(self):
        disagreements = 0
        for fact in self.facts:
            with self.subTest(file=fact.file, fact=fact.name):
                actual = fact.actual(self.corpus)
                if not fact.agrees(actual, fact.expected):
                    disagreements += 1
                    self.fail(f"{fact.file}: {fact.name}: manifest says {fact.expected!r}, "
                              f"found {actual!r}")
        files = len({fact.file for fact in self.facts})
        print(f"\ncorpus: {len(self.facts)} manifest facts checked on {files} files, "
              f"{disagreements} disagree", flush=True)


def main():
    if not os.path.isdir(CORPUS) or not os.path.isfile(MANIFEST):
        print(f"SKIPPED: corpus not found at {CORPUS}", flush=True)
        return SKIP
    program = unittest.main(argv=sys.argv, exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
