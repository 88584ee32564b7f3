"""The terminal UI answers "why" at a glance: the why column and lines, the module detail,
the detail lines under the panes, filters, horizontal scroll, the lm column, mappings, export,
undo/redo, safe keys (too small, q, cancel, queued edits, profile switches) and rendering in 8
colours, NO_COLOR and LANG=C. Driven for real in tmux at 80x24, 120x40 and 200x60."""
import json
import os
import re
import shutil
import subprocess
import sys
import time

from symscope_test import ROOT, fixture, main, run
from test_tui import TuiTest

SIZES = ((80, 24), (120, 40), (200, 60))
# Every size in the default terminal, and the smallest in 8 colours, without colour and in C.
CONFIGS = tuple((size, {}) for size in SIZES) + tuple(
    ((80, 24), env) for env in ({"TERM": "xterm"}, {"NO_COLOR": "1"}, {"LANG": "C", "LC_ALL": "C"}))
BASE = ["--profile", "documented", "-o", "ignore_cvrec", "-o", "ignore_imagedir"]


def squash(text):
    """Text without blanks: wrapped lines compare equal to the one-line original."""
    return re.sub(r"\s+", "", text)


def region(screen, start, end):
    """The lines between the first line containing start and the next containing end."""
    lines = screen.splitlines()
    i = next(k for k, l in enumerate(lines) if start in l)
    j = next((k for k in range(i + 1, len(lines)) if end in lines[k]), len(lines))
    return lines[i + 1:j]


def info_lines(screen):
    """The detail lines under the modules and attempts: between the last list row of the
    side-by-side panes (the lines with the split bar) and the bottom pane's title."""
    lines = screen.splitlines()
    bottom = next(k for k, l in enumerate(lines) if "Noisy log:" in l or "Caches and" in l)
    split = max(k for k in range(bottom) if "\u2502" in lines[k] or "|" in lines[k])
    return [l[1:] for l in lines[split + 1:bottom]]


def sgr_cells(line):
    """(character, (fg, bg, reverse, bold, underline)) per cell of a capture-pane -e line."""
    cells, fg, bg, rev, bold, ul = [], None, None, False, False, False
    for tok in re.findall(r"\x1b\[([0-9;]*)m|(.)", line):
        codes, ch = tok
        if ch:
            cells.append((ch, (fg, bg, rev, bold, ul)))
            continue
        nums = [int(x) for x in codes.split(";") if x] or [0]
        i = 0
        while i < len(nums):
            c = nums[i]
            if c == 0:
                fg, bg, rev, bold, ul = None, None, False, False, False
            elif c == 1:
                bold = True
            elif c == 4:
                ul = True
            elif c == 7:
                rev = True
            elif c == 22:
                bold = False
            elif c == 24:
                ul = False
            elif c == 27:
                rev = False
            elif 30 <= c <= 37 or 90 <= c <= 97:
                fg = c
            elif c == 39:
                fg = None
            elif 40 <= c <= 47 or 100 <= c <= 107:
                bg = c
            elif c == 49:
                bg = None
            elif c in (38, 48) and i + 2 < len(nums) and nums[i + 1] == 5:
                if c == 38:
                    fg = ("256", nums[i + 2])
                else:
                    bg = ("256", nums[i + 2])
                i += 2
            i += 1
    return cells


def style_at(screen_e, row, text):
    """The style of the first character of text on a row of a capture-pane -e screen."""
    cells = sgr_cells(screen_e.splitlines()[row])
    s = "".join(c for c, _ in cells)
    return cells[s.index(text)][1]


class Why(TuiTest):
    """app: a mismatched PDB in M; hello: nowhere, an unmapped drive skipped."""

    def setup_dirs(self):
        os.makedirs(os.path.join(self.tmp, "M"), exist_ok=True)
        shutil.copy(fixture("variant/app.pdb"), os.path.join(self.tmp, "M", "app.pdb"))
        return os.path.join(self.tmp, "M") + ";Q:\\nowhere"

    def start_why(self, size, *extra, path=None, env=None):
        t = self.start(*BASE, "-y", path or self.setup_dirs(), *extra, fixture("app.exe"),
                       fixture("hello.dll"), cols=size[0], rows=size[1], env=env or {})
        t.wait_idle()
        return t

    def find_why(self, module, path=None):
        _, out, _ = run("find", *BASE, "-y", path or self.setup_dirs(), fixture("app.exe"),
                        fixture("hello.dll"),
                        env=dict(os.environ, SYMSCOPE_HOME=self.home))
        summary = out.split("Symbol Loading Summary")[1].splitlines()
        line = next(l for l in summary if l.startswith(module + " "))
        return line[22 + 1 + 24 + 1:].strip()

    def test_why_line_has_finds_words(self):
        want_app = self.find_why("app")
        want_hello = self.find_why("hello")
        self.assertIn("mismatched app.pdb at", want_app)
        self.assertIn("not found in", want_hello)
        self.assertIn("drive Q: is not mapped", want_hello)
        for size, env in CONFIGS:
            with self.subTest(size=size, env=env):
                t = self.start_why(size, env=dict(env))
                t.keys("Tab")  # modules, app selected
                s = t.wait_for("why:")
                # find adds how to take the mismatch on the command line; the screen says f.
                self.assertIn(squash(want_app.split(" (-o load_anything")[0]),
                              squash("".join(info_lines(s))))
                self.assertIn("f takes the mismatch", " ".join(info_lines(s)))
                t.keys("Down")
                s = t.wait_for("why: not found")
                self.assertIn(squash(want_hello), squash("".join(info_lines(s))))
                self.assertIn(squash("fix: M maps Q:"), squash("".join(info_lines(s))))
                # The why column too, as much as fits.
                rows = region(s, "module", "why:")
                hello = next(l for l in rows if " hello " in l)
                self.assertIn("not found", hello)
                t.close()

    def test_module_detail_view(self):
        for size, env in CONFIGS:
            with self.subTest(size=size, env=env):
                t = self.start_why(size, env=dict(env))
                t.keys("Tab", "Enter")
                s = t.wait_for("Module app (lmvm)")
                for text in ("Image:", "CodeView:", "Wanted:", "app.pdb, pdb70 key", "Why:",
                             "Fix:", "f takes the mismatch"):
                    self.assertIn(text, s)
                t.keys("G")  # End, in every terminal
                s = t.screen()
                self.assertIn("mismatch at", s)
                self.assertRegex(s, r"wants [0-9A-F]{33}")
                self.assertRegex(s, r"found [0-9A-F]{33}")
                # q closes the view only.
                t.keys("q")
                t.wait_for("Module app (lmvm)", gone=True)
                self.assertTrue(t.alive())
                t.close()

    def test_filters_without_symbols_and_mismatches(self):
        # app: a mismatch only; hello: found in F; app32: nowhere.
        os.makedirs(os.path.join(self.tmp, "F"), exist_ok=True)
        shutil.copy(fixture("hello.pdb"), os.path.join(self.tmp, "F", "hello.pdb"))
        path = self.setup_dirs() + ";" + os.path.join(self.tmp, "F")
        for size, env in CONFIGS:
            with self.subTest(size=size, env=env):
                t = self.start_why(size, fixture("app32.exe"), path=path, env=dict(env))
                t.keys("Tab", "n")
                s = t.wait_for("only without symbols")
                mods = region(s, "module", "why:")
                self.assertTrue(any(" app " in l for l in mods))
                self.assertTrue(any(" app32 " in l for l in mods))
                self.assertFalse(any(" hello " in l for l in mods))
                t.keys("#")
                s = t.wait_for("only mismatches")
                mods = region(s, "module", "why:")
                self.assertTrue(any(" app " in l for l in mods))
                self.assertFalse(any(" hello " in l or " app32 " in l for l in mods))
                t.keys("q")  # clears the filter, does not quit
                t.wait_for("only mismatches", gone=True)
                self.assertTrue(t.alive())
                t.close()

    def test_force_load_shows_m_in_its_column(self):
        for size, env in CONFIGS:
            with self.subTest(size=size, env=env):
                t = self.start_why(size, env=dict(env))
                t.keys("Tab", "f")
                s = t.wait_for("unmatched")
                row = next(l for l in region(s, "module", "why:") if " app " in l)
                self.assertRegex(row, r"app\s+(\S+\s+)*M\s+private")
                t.close()
        # Without colour the letter says it all the same.
        t = self.start_why((80, 24), env={"NO_COLOR": "1"})
        t.keys("Tab", "f")
        s = t.wait_for("unmatched")
        self.assertRegex(next(l for l in s.splitlines() if re.match(r"^..app\s", l)),
                         r"app\s+M\s")

    def test_mappings_dialog_maps_a_drive(self):
        qdir = os.path.join(self.tmp, "qdrive", "syms")
        os.makedirs(qdir)
        shutil.copy(fixture("hello.pdb"), os.path.join(qdir, "hello.pdb"))
        for size, env in CONFIGS:
            with self.subTest(size=size, env=env):
                t = self.start_why(size, path="Q:\\syms", env=dict(env))
                s = t.screen()
                self.assertIn("unmapped", s)
                t.keys("M")
                t.wait_for("Mappings")
                t.keys("Enter")
                t.wait_for("Mapping FROM=DIR: Q:=")  # the unmapped drive, filled in
                t.type(os.path.join(self.tmp, 'qdrive'))
                t.keys("Enter")
                s = t.wait_for("changed winner")
                self.assertNotIn("unmapped", region(s, "Symbol path", "Modules:")[1])
                t.wait_idle()
                t.keys("Tab", "Down")
                s = t.wait_for("why: ")
                self.assertIn("Q:\\syms\\hello.pdb (element 0)", " ".join(info_lines(s)))
                # "Q:=" with no directory removes the mapping again.
                t.keys("M")
                t.wait_for("FROM= removes")
                t.keys("Up", "Enter")
                t.wait_for("Mapping FROM=DIR:")
                t.keys("C-u")
                t.type("Q:=")
                t.keys("Enter")
                s = t.wait_for("drive Q: is not mapped")
                self.assertIn("unmapped", region(s, "Symbol path", "Modules:")[1])
                t.close()

    def test_export_to_a_file_and_on_exit(self):
        t = self.start_why((120, 40))
        t.keys("d")
        t.wait_for("Symbol path: 1 element")
        t.keys("w")
        t.wait_for("Write the command line to:")
        out = os.path.join(self.tmp, "again.sh")
        t.keys("C-u")
        t.type(out)
        t.keys("Enter")
        t.wait_for("wrote")
        text = open(out).read()
        self.assertIn("--profile documented", text)
        self.assertIn("-o ignore_cvrec", text)
        self.assertIn("-y 'Q:\\nowhere'", text)
        t.keys("Q")
        for _ in range(50):
            s = t.tmux("capture-pane", "-p", "-S", "-10", "-t", "t")
            if "as a command line" in s:
                break
            time.sleep(0.1)
        self.assertIn("the path as edited, as a command line:\nsymscope --profile documented", s)
        self.assertIn("-y 'Q:\\nowhere'", s)

    def test_undo_and_redo_path_edits(self):
        for size, env in CONFIGS:
            with self.subTest(size=size, env=env):
                t = self.start_why(size, env=dict(env))
                t.wait_for("Symbol path: 2 elements")
                self.assertIn("Undo", t.screen().splitlines()[-1])
                t.keys("d")
                t.wait_for("Symbol path: 1 element,")
                t.wait_idle()
                t.keys("z")
                t.wait_for("Symbol path: 2 elements")
                t.wait_idle()
                t.keys("Z")
                t.wait_for("Symbol path: 1 element,")
                t.wait_idle()
                t.keys("z", "z")
                t.wait_for("nothing to undo")
                t.close()


class SafeKeys(TuiTest):
    def test_nothing_acts_behind_the_too_small_notice(self):
        for size, env in CONFIGS:
            with self.subTest(size=size, env=env):
                t = self.fixture_session_at(size, env=dict(env))
                t.resize(40, 12)
                t.wait_for("Terminal too small")
                t.keys("d", "a", "C", "Tab", "Enter", "p", "Space")
                time.sleep(0.5)
                t.resize(*size)
                s = t.wait_for("Symbol path: 2 elements")
                self.assertNotIn("New path element", s)
                self.assertNotIn("[y/N]", s)
                self.assertNotIn("disabled", s)
                mark = "> " if "LANG" in env else "\u25b6 "
                self.assertIn(mark + "Symbol path", s)  # the focus did not move
                t.resize(40, 12)
                t.wait_for("Terminal too small")
                t.keys("Q")
                self.wait_dead(t)

    def fixture_session_at(self, size, *extra, env=None):
        for d, name in (("E", "app.pdb"), ("F", "hello.pdb")):
            os.makedirs(os.path.join(self.tmp, d), exist_ok=True)
            shutil.copy(fixture(name), os.path.join(self.tmp, d, name))
        t = self.start(*BASE, "-y", "E;F", *extra, fixture("app.exe"), fixture("hello.dll"),
                       cols=size[0], rows=size[1], env=env or {})
        t.wait_idle()
        return t

    def wait_dead(self, t):
        for _ in range(50):
            if not t.alive():
                return
            time.sleep(0.1)
        self.fail("the program did not end")

    def test_q_closes_views_and_asks_when_the_path_was_edited(self):
        for size, env in CONFIGS:
            with self.subTest(size=size, env=env):
                t = self.fixture_session_at(size, env=dict(env))
                t.keys("?")
                t.wait_for("symscope keys")
                t.keys("q")
                t.wait_for("symscope keys", gone=True)
                self.assertTrue(t.alive())
                t.keys("Escape")
                t.wait_for("q or Q quits")
                t.keys("d")
                t.wait_for("Symbol path: 1 element,")
                t.wait_idle()
                t.keys("q")
                t.wait_for("The path was edited")
                t.keys("n")
                t.wait_for("quit cancelled")
                self.assertTrue(t.alive())
                t.keys("q")
                t.wait_for("[y/N]")
                t.keys("y")
                self.wait_dead(t)
        # Unedited, q at the top quits at once.
        t = self.fixture_session_at((80, 24))
        t.keys("q")
        self.wait_dead(t)

    def test_profile_switch_keeps_disabled_elements_disabled(self):
        for size, env in CONFIGS:
            with self.subTest(size=size, env=env):
                t = self.fixture_session_at(size, env=dict(env))
                t.keys("Space")
                t.wait_for("disabled")
                t.wait_idle()
                t.keys("p", "Up", "Enter")  # from documented up to native
                t.wait_for("profile: native")
                t.wait_idle()
                self.assertIn("disabled", region(t.screen(), "Symbol path", "Modules:")[1])
                t.keys("o", "Enter")
                t.wait_for("load_anything" if size[0] > 80 else "options: 3")
                t.wait_idle()
                self.assertIn("disabled", region(t.screen(), "Symbol path", "Modules:")[1])
                t.close()

    def slow_server(self, delay=60):
        served = os.path.join(self.tmp, "served")
        os.makedirs(served, exist_ok=True)
        faults = os.path.join(self.tmp, "faults.json")
        with open(faults, "w") as f:
            json.dump({"/syms/*": {"first_byte_delay": delay}}, f)
        server = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "tools",
                                                                "symserver.py"),
                                   "--root", served, "--faults", faults], stdout=subprocess.PIPE,
                                  text=True)
        self.addCleanup(server.kill)
        return int(server.stdout.readline().split()[1])

    def test_cancel_says_what_it_cancelled(self):
        port = self.slow_server()
        for size in SIZES:
            with self.subTest(size=size):
                t = self.start(*BASE, "-y", f"srv*{self.tmp}/down*http://127.0.0.1:{port}/syms",
                               fixture("app.exe"), fixture("hello.dll"), cols=size[0],
                               rows=size[1])
                t.wait_for("x or Ctrl-C cancels")
                t.keys("x")
                s = t.wait_for("cancelled at module")
                self.assertRegex(s, r"cancelled at module \d of 2; \d keeps? their previous "
                                    r"result, marked ~")
                t.wait_idle()
                t.keys("x")
                t.wait_for("nothing to cancel")
                t.close()

    def test_edits_while_busy_are_queued_and_safe(self):
        """Space, then a, while a slow HTTP search runs: the search ends and the path comes
        back changed while the input line is open (the ASan build reports any use after free
        in tearDown)."""
        port = self.slow_server(delay=1)
        for d in ("E", "F"):
            os.makedirs(os.path.join(self.tmp, d), exist_ok=True)
        for size in SIZES:
            with self.subTest(size=size):
                # A home and a downstream store of its own: no miss remembered from before.
                t = self.start(*BASE, "-y",
                               f"E;srv*{self.tmp}/down{size[0]}*http://127.0.0.1:{port}/syms;F",
                               fixture("app.exe"), fixture("hello.dll"), cols=size[0],
                               rows=size[1],
                               env={"SYMSCOPE_HOME": os.path.join(self.tmp, f"home{size[0]}")})
                t.wait_for("x or Ctrl-C cancels")
                t.keys("Space")
                t.wait_for("queued: disabling the element")
                t.keys("a")
                t.wait_for("New path element:")
                t.keys("x")  # typed into the line: the cancel key is text here
                t.keys("BSpace")
                t.type("G")
                # The queued switch runs when the search ends: its new path reaches the model
                # while the line is still open.
                t.wait_for(" disabled ", timeout=60)
                self.assertIn("New path element: G", t.screen())
                t.keys("Enter")
                # Cancel each slow search in turn until the edit has run.
                for _ in range(120):
                    s = t.screen()
                    if "Symbol path: 4 elements" in s:
                        break
                    t.keys("x")
                    time.sleep(0.5)
                rows = region(s, "Symbol path", "Modules:")
                self.assertRegex(rows[1], r"disabled .* E$")
                self.assertRegex(rows[2], r" G( |$)")
                t.close()


class Looks(TuiTest):
    def term16(self):
        """A 16-colour terminal description (the system has none)."""
        d = os.path.join(self.tmp, "terminfo")
        if not os.path.isdir(d):
            os.makedirs(d)
            src = os.path.join(d, "src")
            with open(src, "w") as f:
                f.write("xterm-16color|xterm with 16 colours,\n"
                        "\tcolors#16, pairs#256, use=xterm-256color,\n")
            subprocess.run(["tic", "-o", d, src], check=True)
        return {"TERM": "xterm-16color", "TERMINFO": d}

    def start_at(self, size, env):
        for d, name in (("E", "app.pdb"), ("F", "hello.pdb")):
            os.makedirs(os.path.join(self.tmp, d), exist_ok=True)
            shutil.copy(fixture(name), os.path.join(self.tmp, d, name))
        t = self.start(*BASE, "-y", "E;F;Q:\\x", fixture("app.exe"), fixture("hello.dll"),
                       cols=size[0], rows=size[1], env=dict(env))
        t.wait_idle()
        t.keys("Tab")
        t.wait_for("\u25b6 Modules" if "LANG" not in env else "> Modules")
        return t

    def test_status_names_the_depth_used(self):
        for env, words in (({"TERM": "xterm"}, "8 colours"),
                           (self.term16(), "16 colours"),
                           ({}, "256 colours"),
                           ({"NO_COLOR": "1"}, "attributes only")):
            with self.subTest(env=env):
                t = self.start_at((120, 40), env)
                self.assertIn(words, t.screen().splitlines()[0])
                t.close()

    def test_titles_selection_and_outcomes_stay_apart(self):
        for env in ({"TERM": "xterm"}, self.term16(), {"NO_COLOR": "1"}, {"TERM": "vt100"}):
            for size in SIZES:
                with self.subTest(env=env, size=size):
                    t = self.start_at(size, env)
                    plain, e = t.screen(), t.screen(colors=True)
                    lines = plain.splitlines()
                    title = style_at(e, 0, "symscope")
                    self.assertFalse(title[0] is not None and title[0] == title[1]
                                     or (title[0] in (30,) and title[1] in (40,)),
                                     f"title unreadable: {title}")
                    # The selected row differs from another row and from the header.
                    y = next(k for k, l in enumerate(lines) if re.match(r"^..app\s", l))
                    other = next(k for k, l in enumerate(lines) if re.match(r"^..hello\s", l))
                    hdr = next(k for k, l in enumerate(lines) if "module" in l and "why" in l)
                    sel = style_at(e, y, "app")
                    self.assertNotEqual(sel, style_at(e, other, "hello"))
                    self.assertNotEqual(sel, style_at(e, hdr, "module"))
                    if "NO_COLOR" in env or env.get("TERM") == "vt100":
                        self.assertTrue(sel[2], "no colour: the selection is in reverse video")
                        self.assertFalse(style_at(e, hdr, "module")[2])
                    # The focused pane's title is set off from the others.
                    t1 = style_at(e, next(k for k, l in enumerate(lines) if "Modules:" in l),
                                  "Modules")
                    t2 = style_at(e, next(k for k, l in enumerate(lines) if "Symbol path" in l),
                                  "Symbol path")
                    self.assertNotEqual(t1, t2)
                    t.close()

    def test_lang_c_is_ascii(self):
        for size in SIZES:
            with self.subTest(size=size):
                t = self.start_at(size, {"LANG": "C", "LC_ALL": "C"})
                s = t.screen()
                self.assertTrue(all(ord(c) < 128 for c in s), s)
                self.assertIn("> Modules", s)
                self.assertIn("|", s)
                self.assertNotIn("M-", s)  # how curses shows bytes the locale cannot
                t.keys("?")
                t.wait_for("symscope keys")
                t.keys("End")
                t.wait_for("Module letters" if size[1] > 24 else "reverse video")
                t.close()

    def test_help_scrolls_to_the_legend_at_80x24(self):
        t = self.start_at((80, 24), {})
        t.keys("?")
        s = t.wait_for("symscope keys")
        self.assertIn("lines 1-", s)
        t.keys("End")
        s = t.wait_for("reverse video")
        self.assertNotIn("F1Help", s.splitlines()[-1] if "symscope keys" not in s else "")


class Demo80(TuiTest):
    def test_every_attempt_location_is_whole_at_80_columns(self):
        for env in ({}, {"LANG": "C", "LC_ALL": "C"}):
            with self.subTest(env=env):
                t = self.start("--profile", "documented", "demo", cols=80, rows=24,
                               env=dict(env))
                s = t.wait_idle()
                if "LANG" in env:  # outside UTF-8: ASCII only, "~" where a text is cut
                    self.assertTrue(all(ord(c) < 128 for c in s), s)
                    self.assertIn("~", s)
                self.check_all_locations(t)
                t.close()

    def check_all_locations(self, t):
        t.keys("Tab")
        s = t.wait_for("Modules: 10 loaded")
        seen = 0
        for m in range(10):
            t.keys("Tab", "Home")
            prev = None
            for _ in range(40):
                s = t.screen()
                info = [l.rstrip() for l in info_lines(s)]
                head = info[0].strip()
                if head.startswith("No attempt"):
                    break
                self.assertRegex(head, r"^#\d+ ", s)
                if head == prev:
                    break
                prev = head
                # The location: from "at " to the next line that starts with a label.
                k = next(i for i, l in enumerate(info) if l.startswith("at "))
                loc = info[k][3:]
                for l in info[k + 1:]:
                    if l.startswith(("wants ", "local ", "detail: ")) or not l:
                        break
                    loc += l
                # A marker at the end of the last line says more follows (the local path).
                loc = loc.rstrip()
                if loc.endswith(("\u2026", "+")) and info[-1].rstrip().endswith(loc[-1]):
                    loc = loc[:-1].rstrip()
                self.assertNotIn("\u2026", loc)
                if ": skipped" not in head:  # a skipped element names its directory
                    self.assertRegex(loc, r"\.(pdb|pd_|ptr|dbg|exe|dll|txt)$", s)
                seen += 1
                t.keys("Down")
                # Wait for the selection to move; on the last attempt it stays.
                end = time.time() + 1.0
                while time.time() < end and info_lines(t.screen())[0].strip() == head:
                    time.sleep(0.05)
            t.keys("BTab", "Down")
        self.assertGreater(seen, 30)


class Smaller(TuiTest):
    def start_e(self, *extra, path="E"):
        os.makedirs(os.path.join(self.tmp, "E"), exist_ok=True)
        shutil.copy(fixture("app.pdb"), os.path.join(self.tmp, "E", "app.pdb"))
        t = self.start(*BASE, "-y", path, *extra, fixture("app.exe"), fixture("hello.dll"))
        t.wait_idle()
        return t

    def test_unloaded_modules_say_why_keys_do_nothing(self):
        t = self.start_e()
        t.keys("Tab", "u")
        t.wait_for("unloaded")
        t.wait_idle()
        t.keys("r")
        t.wait_for("is unloaded: L loads it again")
        t.keys("u")
        t.wait_for("unloaded already")
        self.assertIn("Modules: 1 loaded", t.screen())

    def test_loaded_module_is_selected(self):
        shutil.copy(fixture("app32.exe"), os.path.join(self.tmp, "app32.exe"))
        t = self.start_e()
        t.keys("L")
        t.wait_for("Load (image")
        t.type("app32.exe")
        t.keys("Enter")
        t.wait_for("app32")
        t.wait_idle()
        s = t.screen()
        self.assertIn("Attempts: app32", s)

    def test_empty_path_has_a_hint(self):
        t = self.start_e(path="")
        title = next(l for l in t.screen().splitlines() if "Symbol path" in l)
        self.assertIn("empty", title)
        self.assertIn("a adds an element", title)

    def test_counts_reset_after_cleanup(self):
        t = self.start_e()
        self.assertRegex(region(t.screen(), "Symbol path", "Modules:")[1], r"\s1\s+\d+\s+E")
        t.keys("C", "y")
        t.wait_for("session cleaned up")
        t.keys("I")
        t.wait_for("(session cleaned up", gone=True)
        self.assertRegex(region(t.screen(), "Symbol path", "Modules:")[1], r"\s0\s+0\s+E")

    def test_names_from_files_are_escaped(self):
        t = self.start(*BASE, "-y", "E", "ev\x1b[31mil.pdb/" + "0" * 32 + "1")
        s = t.wait_idle()
        self.assertIn("ev\\x1b[31mil", s)
        t.keys("Tab", "Enter")
        s = t.wait_for("(lmvm)")
        self.assertIn("ev\\x1b[31mil", s)
        self.assertNotIn("\x1b", t.screen())

    def test_theme_option_before_demo(self):
        t = self.start("--theme", "mono", "demo")
        s = t.wait_idle()
        self.assertIn("theme: mono", s)
        self.assertIn("Modules: 10 loaded", s)


if __name__ == "__main__":
    main()
