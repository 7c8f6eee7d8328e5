"""End-to-end tests of `slsx repl` on a real pseudo-terminal, driven with pexpect.

Usage: python3 Tests/pty/test_repl.py PATH_TO_SLSX (or through Tests/pty/run.sh).

Each test starts the binary on its own pseudo-terminal, 24 rows by 100 columns, with TERM=xterm, a
private HOME and history file in a temporary folder, and NO_COLOR set unless the test is about
colour. Tests type keys and check what the REPL writes back: prompts, values, completions, history
and the exit status.
"""

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unicodedata
import unittest

import pexpect

BINARY = None
PROMPT = "slsx> "
CONTINUATION = "  ... "
TIMEOUT = 15

CTRL_C = "\x03"
CTRL_D = "\x04"
CTRL_R = "\x12"
UP = "\x1b[A"
LEFT = "\x1b[D"
HOME_KEY = "\x1b[H"
END_KEY = "\x1b[F"
BACKSPACE = "\x7f"


class Screen:
    """A small terminal emulator: enough of xterm for what libedit writes, so that tests can read
    the screen the way a user sees it after redraws, cursor moves and line wraps.

    It handles printable text with automatic margins, where the cursor waits at the last column until
    the next character as xterm does. It also handles CR, LF, BS and BEL, and the CSI sequences for
    cursor movement (A B C D G H), erasing (J K X) and inserting or deleting characters (@ P). It
    ignores attributes (m) and modes (h l).
    """

    CSI = re.compile(r"\x1b\[([0-9;?]*)([@A-Za-z])")

    def __init__(self, rows, columns):
        self.rows = rows
        self.columns = columns
        self.grid = [[" "] * columns for _ in range(rows)]
        self.row = 0
        self.column = 0
        self.pending_wrap = False

    def resize(self, rows, columns):
        for line in self.grid:
            line.extend([" "] * max(0, columns - len(line)))
            del line[columns:]
        self.columns = columns
        self.column = min(self.column, columns - 1)

    def feed(self, text):
        position = 0
        while position < len(text):
            character = text[position]
            if character == "\x1b":
                match = self.CSI.match(text, position)
                if match:
                    self._control(match.group(1), match.group(2))
                    position = match.end()
                    continue
                position += 2
                continue
            position += 1
            if character == "\r":
                self.column = 0
                self.pending_wrap = False
            elif character == "\n":
                self._line_feed()
            elif character == "\b":
                self.column = max(0, self.column - 1)
                self.pending_wrap = False
            elif character in "\x07\x00":
                pass
            elif ord(character) >= 32:
                self._put(character)

    def _put(self, character):
        # Wide characters (most emoji, CJK) take two cells; the second is an empty string.
        cells = [character, ""] if unicodedata.east_asian_width(character) in "WF" else [character]
        for cell in cells:
            if self.pending_wrap:
                self.column = 0
                self._line_feed()
                self.pending_wrap = False
            self.grid[self.row][self.column] = cell
            if self.column == self.columns - 1:
                self.pending_wrap = True
            else:
                self.column += 1

    def _line_feed(self):
        self.pending_wrap = False
        if self.row == self.rows - 1:
            self.grid.pop(0)
            self.grid.append([" "] * self.columns)
        else:
            self.row += 1

    def _control(self, parameters, final):
        numbers = [int(part) if part.isdigit() else 0 for part in parameters.lstrip("?").split(";")]
        count = max(1, numbers[0])
        if parameters.startswith("?") or final in "mhl":
            return
        self.pending_wrap = False
        line = self.grid[self.row]
        if final == "A":
            self.row = max(0, self.row - count)
        elif final == "B":
            self.row = min(self.rows - 1, self.row + count)
        elif final == "C":
            self.column = min(self.columns - 1, self.column + count)
        elif final == "D":
            self.column = max(0, self.column - count)
        elif final == "G":
            self.column = min(self.columns - 1, count - 1)
        elif final == "H":
            self.row = min(self.rows - 1, count - 1)
            self.column = min(self.columns - 1, max(1, numbers[1] if len(numbers) > 1 else 1) - 1)
        elif final == "K":
            if numbers[0] == 0:
                line[self.column:] = [" "] * (self.columns - self.column)
            elif numbers[0] == 1:
                line[: self.column + 1] = [" "] * (self.column + 1)
            else:
                line[:] = [" "] * self.columns
        elif final == "J":
            line[self.column:] = [" "] * (self.columns - self.column)
            for below in self.grid[self.row + 1:]:
                below[:] = [" "] * self.columns
        elif final == "X":
            end = min(self.columns, self.column + count)
            line[self.column:end] = [" "] * (end - self.column)
        elif final == "P":
            del line[self.column:self.column + count]
            line.extend([" "] * (self.columns - len(line)))
        elif final == "@":
            line[self.column:self.column] = [" "] * count
            del line[self.columns:]

    def lines(self):
        """The screen's rows without trailing spaces, blank rows at the bottom dropped."""
        text = ["".join(line).rstrip() for line in self.grid]
        while text and not text[-1]:
            text.pop()
        return text

    def cursor_line(self):
        return "".join(self.grid[self.row]).rstrip()


class ScreenWriter:
    """Feeds everything pexpect reads from the child into a Screen."""

    def __init__(self, screen):
        self.screen = screen

    def write(self, text):
        self.screen.feed(text)

    def flush(self):
        pass


class ReplTestCase(unittest.TestCase):
    """Starts REPL processes in a private folder and cleans up after them."""

    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="slsx-pty-")
        self.history = os.path.join(self.folder, "history")
        self.children = []

    def tearDown(self):
        for child in self.children:
            if child.isalive():
                child.terminate(force=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def environment(self, color=False, **extra):
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.folder,
            "TERM": "xterm",
            "LANG": "C.UTF-8",
            "SLSX_HISTORY": self.history,
        }
        if not color:
            env["NO_COLOR"] = "1"
        env.update(extra)
        return env

    def spawn(self, args=("repl",), color=False, **extra):
        child = pexpect.spawn(
            BINARY,
            list(args),
            env=self.environment(color=color, **extra),
            cwd=self.folder,
            encoding="utf-8",
            dimensions=(24, 100),
            timeout=TIMEOUT,
        )
        child.screen = Screen(24, 100)
        child.logfile_read = ScreenWriter(child.screen)
        self.children.append(child)
        child.expect_exact(PROMPT)
        return child

    def resize(self, child, rows, columns):
        child.setwinsize(rows, columns)
        child.screen.resize(rows, columns)

    def wait_for_screen(self, child, condition, message):
        """Reads output until `condition(screen)` holds, failing after TIMEOUT seconds."""
        deadline = time.monotonic() + TIMEOUT
        while not condition(child.screen):
            if time.monotonic() > deadline:
                self.fail(message + "; the screen shows:\n" + "\n".join(child.screen.lines()))
            try:
                child.read_nonblocking(size=4096, timeout=0.1)
            except pexpect.TIMEOUT:
                pass

    def enter(self, child, text):
        """Types `text` and Enter."""
        child.send(text + "\r")

    def expect_line(self, child, text):
        """Waits for `text` written as a whole output line."""
        child.expect_exact("\r\n" + text + "\r\n")

    def finish(self, child):
        """Presses Ctrl-D on an empty line and checks the REPL ends with status 0."""
        child.send(CTRL_D)
        child.expect(pexpect.EOF)
        child.close()
        self.assertEqual(child.exitstatus, 0)

    def run_piped(self, text, args=("repl",)):
        """Runs the binary with `text` (a string, or bytes that may be invalid UTF-8) on standard input."""
        return subprocess.run(
            [BINARY, *args],
            input=text if isinstance(text, bytes) else text.encode(),
            capture_output=True,
            cwd=self.folder,
            env=self.environment(),
            timeout=TIMEOUT,
        )


class PromptAndValueTests(ReplTestCase):
    def test_expression_prints_value(self):
        child = self.spawn()
        self.enter(child, "1 + 2")
        self.expect_line(child, "3")
        child.expect_exact(PROMPT)
        self.finish(child)

    def test_declaration_prints_summary(self):
        child = self.spawn()
        self.enter(
            child,
            'function "orders-indexer" { handler: "h.handle", stream { arn: '
            '"arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000" } }',
        )
        self.expect_line(child, "function orders-indexer: 1 stream (dynamodb orders)")
        self.finish(child)

    def test_unknown_command_suggests(self):
        child = self.spawn()
        self.enter(child, ":yamll")
        child.expect_exact("unknown command ':yamll'")
        child.expect_exact("did you mean ':yaml'?")
        child.expect_exact(PROMPT)
        self.finish(child)

    def test_slsx_alone_starts_repl(self):
        child = self.spawn(args=())
        self.enter(child, "2 * 21")
        self.expect_line(child, "42")
        self.finish(child)

    def test_output_to_pipe_needs_no_terminal(self):
        # Standard input is the terminal but standard output is a pipe: no prompts, no escape codes.
        child = pexpect.spawn(
            "/bin/sh", ["-c", '"$0" repl | od -c', BINARY], env=self.environment(), cwd=self.folder,
            encoding="utf-8", dimensions=(24, 100), timeout=TIMEOUT,
        )
        self.children.append(child)
        child.send("1 + 1\r")
        child.sendeof()
        child.expect(pexpect.EOF)
        dump = child.before
        self.assertIn("2  \\n", dump)
        self.assertNotIn("033", dump)
        self.assertNotIn("s   l   s   x   >", dump)

    def test_set_gives_option_value(self):
        child = self.spawn(args=("repl", "--set", "stage=prod", "--set=region=eu-west-1"))
        self.enter(child, 'option("stage") + " " + option("region")')
        self.expect_line(child, '"prod eu-west-1"')
        self.finish(child)

    def test_unknown_argument_is_usage_error(self):
        result = self.run_piped("", args=("repl", "--bogus"))
        self.assertEqual(result.returncode, 2)
        self.assertIn(b"error: unknown argument '--bogus' for slsx repl", result.stderr)
        self.assertEqual(result.stdout, b"")

    def test_quit_command_exits(self):
        child = self.spawn()
        self.enter(child, ":quit")
        child.expect(pexpect.EOF)
        child.close()
        self.assertEqual(child.exitstatus, 0)


class KeyTests(ReplTestCase):
    def test_ctrl_c_abandons_multiline_entry(self):
        child = self.spawn()
        self.enter(child, "fn f(a) {")
        child.expect_exact(CONTINUATION)
        child.send("a +")
        child.send(CTRL_C)
        child.expect_exact(PROMPT)
        # One Ctrl-C is enough, and it leaves no ^C or old text on the new prompt's line.
        self.assertEqual(child.screen.cursor_line(), PROMPT.rstrip())
        # Ctrl-C on an empty prompt only prompts again.
        child.send(CTRL_C)
        child.expect_exact(PROMPT)
        self.assertEqual(child.screen.cursor_line(), PROMPT.rstrip())
        # The abandoned text was never evaluated: f is not bound.
        self.enter(child, ":vars")
        self.expect_line(child, "no names are bound")
        child.expect_exact(PROMPT)
        self.finish(child)

    def test_ctrl_d_on_nonempty_line_stays(self):
        child = self.spawn()
        child.send("1+1")
        child.send(CTRL_D)
        child.send("\r")
        self.expect_line(child, "2")
        child.expect_exact(PROMPT)
        self.assertTrue(child.isalive())
        self.finish(child)

    def test_blank_line_abandons_entry(self):
        child = self.spawn()
        self.enter(child, "[1,")
        child.expect_exact(CONTINUATION)
        self.enter(child, "")
        child.expect_exact(PROMPT)
        self.enter(child, "7")
        self.expect_line(child, "7")
        self.finish(child)

    def test_unbalanced_closer_is_an_error(self):
        child = self.spawn()
        self.enter(child, "}")
        child.expect_exact("error:")
        child.expect_exact(PROMPT)
        self.finish(child)

    def test_utf8_paste_and_editing(self):
        child = self.spawn()
        self.enter(child, 'let n = "Bälle ☃ 🚀"')
        child.expect_exact(PROMPT)
        self.enter(child, "len(n)")
        self.expect_line(child, "9")
        child.expect_exact(PROMPT)
        self.enter(child, "n")
        self.expect_line(child, '"Bälle ☃ 🚀"')
        child.expect_exact(PROMPT)
        # Left moves over the closing quote and Backspace deletes the whole é before it.
        child.send('"aé"' + LEFT + BACKSPACE + "\r")
        self.expect_line(child, '"a"')
        self.finish(child)

    def test_resize_during_long_line(self):
        child = self.spawn()
        expression = "+".join(["1"] * 75)
        child.send(expression)
        self.wait_for_screen(
            child, lambda screen: "+1+1" in "".join(screen.lines()) and screen.cursor_line().endswith("+1"),
            "the long line was not echoed",
        )
        self.resize(child, 24, 60)
        self.resize(child, 24, 120)
        child.send(HOME_KEY + END_KEY + "\r")
        self.expect_line(child, "75")
        child.expect_exact(PROMPT)
        # Ctrl-C still abandons a line after the resizes.
        child.send("2 +")
        child.send(CTRL_C)
        child.expect_exact(PROMPT)
        self.enter(child, "5")
        self.expect_line(child, "5")
        self.finish(child)


class CompletionTests(ReplTestCase):
    def test_completes_bound_name(self):
        child = self.spawn()
        self.enter(child, 'let ordersTable = "orders"')
        child.expect_exact(PROMPT)
        child.send("ordersT\t\r")
        self.expect_line(child, '"orders"')
        self.finish(child)

    def test_lists_several_matches(self):
        child = self.spawn()
        child.send("fo\t\t")
        child.expect(r"for +format")
        child.send(CTRL_C)
        child.expect_exact(PROMPT)
        self.finish(child)

    def test_completes_command_and_path(self):
        os.mkdir(os.path.join(self.folder, "scripts"))
        with open(os.path.join(self.folder, "scripts", "orders.slsx"), "w") as script:
            script.write("let loaded = 41 + 1\n")
        child = self.spawn()
        # `:lo` becomes `:load `, `scr` becomes `scripts/` (no space after a folder), `ord` the file.
        child.send(":lo\tscr\tord\t")
        self.wait_for_screen(
            child, lambda screen: screen.cursor_line() == PROMPT + ":load scripts/orders.slsx",
            "the completed command line did not appear",
        )
        child.send("\r")
        child.expect_exact(PROMPT)
        self.enter(child, "loaded")
        self.expect_line(child, "42")
        self.finish(child)

    def test_completes_stream_property(self):
        child = self.spawn()
        self.enter(child, 'service "svc"')
        self.expect_line(child, "service svc")
        self.enter(child, 'function "f" {')
        child.expect_exact(CONTINUATION)
        self.enter(child, 'handler: "h.f"')
        child.expect_exact(CONTINUATION)
        child.send("stream { arn: \"arn:aws:kinesis:us-east-1:123456789012:stream/s\", batchSi\t")
        self.wait_for_screen(
            child, lambda screen: screen.cursor_line().endswith("batchSize"),
            "batchSi did not complete to batchSize",
        )
        self.enter(child, ": 7 }")
        self.enter(child, "}")
        self.expect_line(child, "function f: 1 stream (kinesis s)")
        child.expect_exact(PROMPT)
        self.enter(child, ":yaml")
        child.expect_exact("batchSize: 7")
        child.expect_exact(PROMPT)
        self.finish(child)


class HistoryTests(ReplTestCase):
    def test_history_across_sessions(self):
        first = self.spawn()
        self.enter(first, "40 + 2")
        self.expect_line(first, "42")
        first.expect_exact(PROMPT)
        self.finish(first)

        with open(self.history, encoding="utf-8") as history:
            self.assertEqual(history.readline(), "_HiStOrY_V2_\n")
        self.assertEqual(os.stat(self.history).st_mode & 0o777, 0o600)

        second = self.spawn()
        second.send(UP + "\r")
        self.expect_line(second, "42")
        self.finish(second)

    def test_ctrl_c_after_saved_entry(self):
        # Saving history installs and then restores signal handlers around the rename, so Ctrl-C
        # must still abandon the line after an entry was saved.
        child = self.spawn()
        self.enter(child, "1")
        self.expect_line(child, "1")
        child.expect_exact(PROMPT)
        child.send("abc")
        child.send(CTRL_C)
        child.expect_exact(PROMPT)
        self.assertEqual(child.screen.cursor_line(), PROMPT.rstrip())
        self.enter(child, "2")
        self.expect_line(child, "2")
        self.finish(child)

    def test_ctrl_r_searches_history(self):
        child = self.spawn()
        self.enter(child, "40 + 2")
        self.expect_line(child, "42")
        child.expect_exact(PROMPT)
        self.enter(child, "7")
        self.expect_line(child, "7")
        child.expect_exact(PROMPT)
        child.send(CTRL_R)
        child.send("40")
        self.wait_for_screen(child, lambda screen: "40 + 2" in screen.cursor_line(), "Ctrl-R did not find 40 + 2")
        child.send("\r")
        self.expect_line(child, "42")
        self.finish(child)

    def test_history_survives_killed_session(self):
        first = self.spawn()
        self.enter(first, "40 + 2")
        self.expect_line(first, "42")
        first.expect_exact(PROMPT)
        first.kill(signal.SIGKILL)
        first.expect(pexpect.EOF)

        second = self.spawn()
        second.send(UP + "\r")
        self.expect_line(second, "42")
        self.finish(second)

    def test_multiline_entry_recalled_whole(self):
        child = self.spawn()
        self.enter(child, "[     // opening")
        child.expect_exact(CONTINUATION)
        self.enter(child, "  5,  // five")
        child.expect_exact(CONTINUATION)
        self.enter(child, "  6")
        child.expect_exact(CONTINUATION)
        self.enter(child, "]")
        self.expect_line(child, "[5, 6]")
        child.expect_exact(PROMPT)
        # Up recalls the whole entry, shown on its own lines with the comments intact.
        child.send(UP)
        self.wait_for_screen(
            child, lambda screen: screen.lines()[-4:] == [PROMPT + "[     // opening", "  5,  // five", "  6", "]"],
            "the recalled entry is not shown whole",
        )
        child.send("\r")
        self.expect_line(child, "[5, 6]")
        child.expect_exact(PROMPT)
        self.finish(child)

        again = self.spawn()
        again.send(UP + "\r")
        self.expect_line(again, "[5, 6]")
        self.finish(again)

    def test_bounded_history_keeps_header(self):
        child = self.spawn(SLSX_HISTORY_SIZE="3")
        for entry in ["1", "2", 'let s = "a b\\\\c"', 'let t = "é"', "s"]:
            self.enter(child, entry)
            child.expect_exact(PROMPT)
        self.finish(child)

        with open(self.history, encoding="utf-8") as history:
            lines = history.read().splitlines()
        self.assertEqual(lines[0], "_HiStOrY_V2_")
        self.assertEqual(len(lines), 4)

        again = self.spawn(SLSX_HISTORY_SIZE="3")
        again.send(UP + UP + UP + "\r")
        again.expect_exact(PROMPT)
        again.send(UP + UP + UP + "\r")
        again.expect_exact(PROMPT)
        self.enter(again, "s + t")
        self.expect_line(again, '"a b\\\\cé"')
        self.finish(again)


class HistoryProblemTests(ReplTestCase):
    def test_foreign_history_file_warns_and_is_kept(self):
        # SLSX_HISTORY may name another file by mistake: it must not be replaced.
        with open(self.history, "w") as history:
            history.write("not a history file\n")
        child = self.spawn()
        self.assertIn(
            "warning: could not read the history file " + self.history + " (not a libedit history file), "
            "so history will not be loaded or saved",
            child.before,
        )
        self.enter(child, "1")
        self.expect_line(child, "1")
        child.expect_exact(PROMPT)
        self.finish(child)
        with open(self.history, encoding="utf-8") as history:
            self.assertEqual(history.read(), "not a history file\n")

    def test_empty_history_file_is_used(self):
        open(self.history, "w").close()
        child = self.spawn()
        self.assertNotIn("warning", child.before)
        self.enter(child, "1")
        self.expect_line(child, "1")
        child.expect_exact(PROMPT)
        self.finish(child)
        with open(self.history, encoding="utf-8") as history:
            self.assertEqual(history.read(), "_HiStOrY_V2_\n1\n")

    def test_unwritable_history_warns_once(self):
        missing = os.path.join(self.folder, "missing", "history")
        child = self.spawn(SLSX_HISTORY=missing)
        self.enter(child, "1")
        child.expect_exact(
            "warning: could not save the history to " + missing + ": cannot create a file in '"
            + os.path.dirname(missing) + "': No such file or directory"
        )
        child.expect_exact(PROMPT)
        self.enter(child, "2")
        self.expect_line(child, "2")
        child.expect_exact(PROMPT)
        self.assertNotIn("warning", child.before)
        self.finish(child)

    def off_warning(self, described, file_type):
        return (
            "warning: the history file " + described + " is " + file_type + ", not a regular file, so history "
            "will not be loaded or saved; set SLSX_HISTORY to a regular file, or to an empty value to turn history off"
        )

    def test_fifo_history_is_not_read_or_replaced(self):
        fifo = os.path.join(self.folder, "fifo")
        os.mkfifo(fifo)
        # spawn() waits for the prompt, so a REPL blocked opening the FIFO fails here after TIMEOUT.
        child = self.spawn(SLSX_HISTORY=fifo)
        self.assertIn(self.off_warning(fifo, "a FIFO"), child.before.replace("\r\n", "\n"))
        self.enter(child, "1")
        self.expect_line(child, "1")
        child.expect_exact(PROMPT)
        self.assertNotIn("warning", child.before)
        self.finish(child)
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode))

    def test_folder_history_warns_once(self):
        folder = os.path.join(self.folder, "history.d")
        os.mkdir(folder)
        child = self.spawn(SLSX_HISTORY=folder)
        self.assertIn(self.off_warning(folder, "a folder"), child.before.replace("\r\n", "\n"))
        self.enter(child, "2")
        self.expect_line(child, "2")
        child.expect_exact(PROMPT)
        self.assertNotIn("warning", child.before)
        self.finish(child)
        self.assertEqual(os.listdir(folder), [])

    def test_symbolic_link_history_updates_target(self):
        target = os.path.join(self.folder, "real_hist")
        link = os.path.join(self.folder, "link_hist")
        with open(target, "w", encoding="utf-8") as history:
            history.write("_HiStOrY_V2_\nold\n")
        os.symlink("real_hist", link)

        first = self.spawn(SLSX_HISTORY=link)
        self.enter(first, "40 + 2")
        self.expect_line(first, "42")
        first.expect_exact(PROMPT)
        self.finish(first)

        self.assertEqual(os.readlink(link), "real_hist")
        with open(target, encoding="utf-8") as history:
            self.assertEqual(history.read(), "_HiStOrY_V2_\nold\n40\\040+\\0402\n")
        self.assertEqual(os.stat(target).st_mode & 0o777, 0o600)

        second = self.spawn(SLSX_HISTORY=link)
        second.send(UP + "\r")
        self.expect_line(second, "42")
        self.finish(second)

    def test_unset_home_warns(self):
        child = pexpect.spawn(
            BINARY, ["repl"], env={"PATH": os.environ.get("PATH", ""), "TERM": "xterm", "NO_COLOR": "1"},
            cwd=self.folder, encoding="utf-8", dimensions=(24, 100), timeout=TIMEOUT,
        )
        self.children.append(child)
        child.expect_exact("warning: HOME is not set, so history will not be saved")
        child.expect_exact(PROMPT)
        self.enter(child, "3")
        self.expect_line(child, "3")
        self.finish(child)


class ColourTests(ReplTestCase):
    def test_prompt_coloured_on_terminal(self):
        child = self.spawn(color=True)
        self.assertIn("\x1b[", child.before + child.after)
        self.finish(child)

    def test_no_color_turns_colour_off(self):
        child = self.spawn()
        self.enter(child, "nope")
        child.expect_exact(PROMPT)
        self.assertNotIn("\x1b[1;31m", child.before)
        self.finish(child)


class PipedTests(ReplTestCase):
    def test_piped_session_prints_only_output(self):
        result = self.run_piped("let x = 1\nprint(x)\n")
        self.assertEqual(result.stdout, b"1\n")
        self.assertEqual(result.stderr, b"")
        self.assertEqual(result.returncode, 0)

    def test_empty_input_exits_zero(self):
        result = self.run_piped("")
        self.assertEqual(result.stdout, b"")
        self.assertEqual(result.stderr, b"")
        self.assertEqual(result.returncode, 0)

    def test_piped_error_has_location_and_status(self):
        result = self.run_piped("let x = 1\n\nlet y = x +\n  missing\nprint(x)\n")
        self.assertEqual(result.stdout, b"1\n")
        self.assertIn(b"<stdin>:4:3: error:", result.stderr)
        self.assertEqual(result.returncode, 1)

    def test_piped_invalid_utf8_reported_as_emit_does(self):
        script = b'let a = "x\xffy"\n'
        emitted = subprocess.run(
            [BINARY, "emit", "-"], input=script, capture_output=True, cwd=self.folder,
            env=self.environment(), timeout=TIMEOUT,
        )
        expected = (
            '<stdin>:1:11: error: invalid UTF-8 byte 0xFF in a string\n 1 | let a = "x\ufffdy"\n   |           ^\n'
            'help: save the file as UTF-8; a lone byte such as 0xFF usually comes from text saved in another encoding\n'
        )
        self.assertEqual(emitted.stderr.decode(), expected)
        result = self.run_piped(script + b":vars\n")
        self.assertEqual(result.stderr, emitted.stderr)
        self.assertEqual(result.stdout, b"no names are bound\n")
        self.assertEqual(result.returncode, 1)

    def test_load_invalid_utf8_reported_as_emit_does(self):
        with open(os.path.join(self.folder, "f.slsx"), "wb") as script:
            script.write(b'let a = "x\xffy"\n')
        emitted = subprocess.run(
            [BINARY, "emit", "f.slsx"], capture_output=True, cwd=self.folder, env=self.environment(), timeout=TIMEOUT,
        )
        expected = (
            'f.slsx:1:11: error: invalid UTF-8 byte 0xFF in a string\n 1 | let a = "x\ufffdy"\n   |           ^\n'
            'help: save the file as UTF-8; a lone byte such as 0xFF usually comes from text saved in another encoding\n'
        )
        self.assertEqual(emitted.stderr.decode(), expected)
        result = self.run_piped(":load f.slsx\n")
        self.assertEqual(result.stderr, emitted.stderr)
        self.assertEqual(result.returncode, 1)

    def test_piped_crlf_lines_are_stripped(self):
        result = self.run_piped(b"let x = 1\r\nx + 1\r\n")
        self.assertEqual(result.stdout, b"2\n")
        self.assertEqual(result.stderr, b"")
        self.assertEqual(result.returncode, 0)

    def test_piped_output_has_no_escapes(self):
        result = self.run_piped(":help\n1 + 1\n")
        self.assertNotIn(b"\x1b", result.stdout)
        self.assertIn(b"2\n", result.stdout)
        self.assertEqual(result.returncode, 0)


class PreviewTests(ReplTestCase):
    # A `resources` block that `slsx emit` rejects in every format: a `DependsOn` cycle and a
    # resource that is not a map.
    INVALID_RESOURCES = [
        'service "svc"',
        'provider { name: "aws", runtime: "nodejs20.x" }',
        'resources { Resources: { A: { Type: "AWS::SQS::Queue", DependsOn: "B" }, '
        'B: { Type: "AWS::SQS::Queue", DependsOn: "A" }, C: 5 } }',
    ]

    def emit_errors(self, format_name):
        """Returns the standard error of `slsx emit` on the script read from standard input."""
        result = subprocess.run(
            [BINARY, "emit", "--format", format_name, "-"],
            input="\n".join(self.INVALID_RESOURCES).encode() + b"\n",
            capture_output=True, cwd=self.folder, env=self.environment(), timeout=TIMEOUT,
        )
        self.assertEqual(result.returncode, 1)
        return result.stderr

    def test_piped_previews_report_emit_errors(self):
        script = "\n".join(self.INVALID_RESOURCES) + "\n"
        declaration = self.run_piped(script)
        self.assertEqual(declaration.stdout, b"service svc\nprovider\nresources\n")
        self.assertEqual(declaration.returncode, 1)
        for command, format_name in [(":cfn", "cfn-yaml"), (":cfn json", "cfn-json"), (":yaml", "yaml"), (":json", "json")]:
            with self.subTest(command=command):
                errors = self.emit_errors(format_name)
                self.assertIn(b"<stdin>:3:67: error: `DependsOn` forms a cycle", errors)
                self.assertIn(b"<stdin>:3:125: error: the resource `C` must be a map", errors)
                result = self.run_piped(script + command + "\n")
                # The declaration reports the errors once, and the preview reports them as emit does.
                self.assertEqual(result.stderr, declaration.stderr + errors)
                self.assertEqual(result.stdout, b"service svc\nprovider\nresources\n")
                self.assertEqual(result.returncode, 1)

    def test_cfn_preview_on_terminal_shows_located_errors(self):
        child = self.spawn()
        for line in self.INVALID_RESOURCES:
            self.enter(child, line)
            child.expect_exact(PROMPT)
        self.enter(child, ":cfn")
        child.expect_exact("<repl>:3:67: error: `DependsOn` forms a cycle: `A` → `B` → `A`")
        child.expect_exact("<repl>:3:125: error: the resource `C` must be a map with `Type` and `Properties`, not an integer")
        child.expect_exact(PROMPT)
        self.assertNotIn("AWSTemplateFormatVersion", child.before)
        self.finish(child)


class SaveTests(ReplTestCase):
    def test_session_saved_emits_same_yaml(self):
        child = self.spawn()
        lines = [
            'service "billing"',
            'provider { region: "us-east-1", runtime: "nodejs20.x" }',
            'let account = "123456789012"',
            'function "orders-indexer" {',
            '  handler: "src/indexer.handle"',
            '  stream { arn: "arn:aws:dynamodb:us-east-1:\\(account):table/orders/stream/2024-01-01T00:00:00.000", batchSize: 100 }',
        ]
        for line in lines:
            self.enter(child, line)
        # The second stream event's property names come from Tab completion.
        child.send("  stream { ar\t")
        self.wait_for_screen(child, lambda screen: screen.cursor_line().endswith("stream { arn"), "ar did not complete")
        child.send(': "arn:aws:kinesis:us-east-1:123456789012:stream/clicks", startingPos\t')
        self.wait_for_screen(
            child, lambda screen: screen.cursor_line().endswith("startingPosition"), "startingPos did not complete",
        )
        self.enter(child, ': "LATEST" }')
        self.enter(child, "}")
        self.expect_line(child, "function orders-indexer: 2 streams (dynamodb orders, kinesis clicks)")
        child.expect_exact(PROMPT)

        self.enter(child, ":yaml")
        child.expect_exact(PROMPT)
        yaml_output = child.before.replace("\r\n", "\n")
        yaml_text = yaml_output[yaml_output.index("\n") + 1:]
        self.assertIn("service: billing\n", yaml_text)

        self.enter(child, ":save saved.slsx")
        self.expect_line(child, "saved 4 entries to saved.slsx")
        self.finish(child)

        emitted = subprocess.run(
            [BINARY, "emit", "saved.slsx"], capture_output=True, cwd=self.folder,
            env=self.environment(), timeout=TIMEOUT,
        )
        self.assertEqual(emitted.returncode, 0, emitted.stderr.decode())
        self.assertEqual(emitted.stdout.decode(), yaml_text)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_repl.py PATH_TO_SLSX [unittest arguments]")
    BINARY = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0], *sys.argv[2:]], verbosity=2)
