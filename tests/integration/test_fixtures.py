"""Fixtures built with clang and lld-link: symscope inspect agrees with llvm-pdbutil and
llvm-readobj on every identity fact they report."""
import re
import shutil
import subprocess
import unittest

from symscope_test import fixture, inspect_json, main

PAIRS = [("hello.dll", "hello.pdb"), ("app.exe", "app.pdb"), ("app32.exe", "app32.pdb"),
         ("big8k.dll", "big8k.pdb")]


def tool(*names):
    for n in names:
        if shutil.which(n):
            return n
    raise unittest.SkipTest(f"none of {names} installed")


def pdbutil_summary(path):
    out = subprocess.run([tool("llvm-pdbutil", "llvm-pdbutil-14"), "dump", "--summary", path],
                         capture_output=True, text=True, check=True).stdout
    facts = dict(re.findall(r"^\s+([A-Za-z ]+): (.*)$", out, re.M))
    return facts


def readobj(path):
    out = subprocess.run([tool("llvm-readobj", "llvm-readobj-14"), "--file-headers",
                          "--coff-debug-directory", path],
                         capture_output=True, text=True, check=True).stdout
    return out


def guid_from_bytes(text):
    """llvm-readobj prints the RSDS GUID as 16 raw bytes: '(8D 0C 03 F1 ...)'."""
    b = bytes(int(x, 16) for x in text.strip("()").split())
    d1, d2, d3 = int.from_bytes(b[0:4], "little"), int.from_bytes(b[4:6], "little"), \
        int.from_bytes(b[6:8], "little")
    return f"{d1:08X}-{d2:04X}-{d3:04X}-{b[8:10].hex().upper()}-{b[10:16].hex().upper()}"


class FixtureTest(unittest.TestCase):
    def test_pdbs_agree_with_llvm_pdbutil(self):
        for _, pdb in PAIRS:
            with self.subTest(pdb=pdb):
                want = pdbutil_summary(fixture(pdb))
                (got,) = inspect_json(fixture(pdb))
                self.assertEqual(got["format"], "pdb70")
                self.assertEqual(got["pdb"]["block_size"], int(want["Block Size"]))
                self.assertEqual(got["pdb"]["blocks"], int(want["Number of blocks"]))
                self.assertEqual(got["pdb"]["streams"], int(want["Number of streams"]))
                self.assertEqual(got["pdb"]["info_signature"], int(want["Signature"]))
                self.assertEqual(got["pdb"]["info_age"], int(want["Age"]))
                self.assertEqual("{" + got["pdb"]["guid"] + "}", want["GUID"])
                self.assertEqual(got["pdb"]["stripped"], want["Is stripped"] == "true")
                self.assertTrue(got["pdb"]["private"])
                self.assertTrue(got["pdb"]["lines"])

    def test_images_agree_with_llvm_readobj(self):
        for image, _ in PAIRS + [("nodebug.exe", None)]:
            with self.subTest(image=image):
                text = readobj(fixture(image))
                (got,) = inspect_json(fixture(image))
                self.assertEqual(got["format"], "pe")
                ts = int(re.search(r"TimeDateStamp: .*\(0x([0-9A-F]+)\)", text).group(1), 16)
                self.assertEqual(got["timestamp"], ts)
                size = int(re.search(r"SizeOfImage: (\d+)", text).group(1))
                self.assertEqual(got["size_of_image"], size)
                self.assertEqual(got["image_key"], f"{ts:08X}{size:x}")
                machine = re.search(r"Machine: IMAGE_FILE_MACHINE_(\w+)", text).group(1)
                self.assertEqual(got["machine"], {"AMD64": "x64", "I386": "x86"}[machine])
                types = re.findall(r"Type: (\w+) \(0x([0-9A-F]+)\)", text)
                self.assertEqual(len(got["debug_directory"]), len(types))
                if image == "nodebug.exe":
                    self.assertEqual(types, [])
                    self.assertIsNone(got["codeview"])
                    self.assertIsNone(got["pdb_key"])
                    continue
                guid = guid_from_bytes(re.search(r"PDBGUID: (\([0-9A-F ]+\))", text).group(1))
                age = int(re.search(r"PDBAge: (\d+)", text).group(1))
                path = re.search(r"PDBFileName: (.*)", text).group(1).strip()
                self.assertEqual(got["codeview"]["format"], "RSDS")
                self.assertEqual(got["codeview"]["guid"], guid)
                self.assertEqual(got["codeview"]["age"], age)
                self.assertEqual(got["codeview"]["path"], path)
                self.assertEqual(got["pdb_key"], guid.replace("-", "") + f"{age:x}")

    def test_each_image_names_its_pdb(self):
        for image, pdb in PAIRS:
            with self.subTest(image=image):
                img, sym = inspect_json(fixture(image), fixture(pdb))
                self.assertEqual(img["pdb_key"], sym["pdb_key"])
                self.assertEqual(img["pdb_file"], pdb)

    def test_exports(self):
        (got,) = inspect_json(fixture("hello.dll"))
        self.assertEqual(sorted(got["exports"]["names"]),
                         ["hello_add", "hello_count", "hello_mul"])
        self.assertEqual(got["exports"]["dll"], "hello.dll")


if __name__ == "__main__":
    main()
