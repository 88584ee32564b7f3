"""What symscope guarantees whatever the input (README, "Safety"): names that cannot be path
components are refused, writes never follow a symbolic link or leave a store, only regular
files are opened, decompression is bounded, secrets are never shown and output cannot be
forged. Every test plants the hostile input for real: files, links, FIFOs, CABs, a server."""
import json
import os
import sys
import unittest

from symscope_test import fixture
from test_http import HttpSandbox
from test_stores import StoreSandbox


def snapshot(top):
    out = []
    for root, dirs, files in os.walk(top):
        out += [os.path.join(root, n) for n in dirs + files]
    return sorted(out)


class Names(StoreSandbox):
    def test_names_reducing_to_dot_dot_are_refused_in_every_layout(self):
        img = self.image(pdb_name="..pdb")
        # Where a two-tier lookup of "..pdb" in up2 would land: outside the store.
        outside = self.put(fixture("app.pdb"), "..pdb", self.key, "..pdb")
        self.store("up2", tiers=2)
        self.store("down2", tiers=2)
        self.put(fixture("app.pdb"), "up1", "..pdb", self.key, "..pdb")
        before = snapshot(self.tmp)
        for path in ("srv*down2*up2", "srv*down2*up1", "cache*down2;srv*up2", "srv*up1"):
            with self.subTest(path=path):
                m = self.find_one("-y", path, img, status=1)
                self.assertEqual(m["wanted"]["file"], "..pdb")
                self.assertIsNone(m["result"]["file"])
                refused = [a for a in m["attempts"] if a["rule"] == "store"]
                self.assertTrue(refused)
                self.assertEqual(refused[0]["outcome"], "skipped")
                self.assertIn("'..pdb' cannot be a file name", refused[0]["detail"])
                # No store was looked in: no attempt of an element names a file.
                self.assertFalse([a for a in m["attempts"]
                                  if a["step"] == "element" and a["local"]])
        self.assertEqual(snapshot(self.tmp), before)
        self.assertTrue(os.path.exists(outside))


class HttpNames(HttpSandbox):
    def test_two_tier_prefix_never_leaves_the_url(self):
        open(self.path("served", "index2.txt"), "w").close()
        img = self.image(pdb_name="..pdb")
        m = self.find(module=img, status=1)
        (refused,) = [a for a in m["attempts"] if a["rule"] == "store"]
        self.assertIn("cannot be a file name", refused["detail"])
        self.assertEqual(self.requests(), [])
        self.assertFalse(os.path.exists(self.path("down")))


if __name__ == "__main__":
    unittest.main(verbosity=2)
