"""Reading the terminal without losing or scrambling a word.

Two defects of Textual's Linux driver (used on macOS too) meet a coach's
terminal here:

- It decodes its input as strict UTF-8: one byte that is not (what a Latin-1
  terminal sends for "é") raised in the input thread and ended the app with a
  traceback. Here such a byte becomes U+FFFD and the app goes on.
- Inside a bracketed paste, an escape sequence made its parser take the rest of
  the paste for keys (ESC typed as "^") sent *before* the text that preceded it:
  "before ESC[2J after" was saved as "^[2J afterbefore ". Here a paste is
  gathered whole and its escape sequences are removed (as `clean` does to every
  typed text) before the parser sees it.

Everything else is Textual's own driver, unchanged."""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from collections.abc import Iterable

from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from aoi_tui.domain.text import clean

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


def _held_prefix(text: str, marker: str) -> int:
    """How many characters at the end of `text` could begin `marker` (a marker cut
    in two by the read), so they wait for the next read. One ESC alone is never
    held: it is the Escape key as often as not."""
    for size in range(min(len(marker) - 1, len(text)), 2, -1):
        if text.endswith(marker[:size]):
            return size
    return 0


class PasteSafeParser(XTermParser):
    """Textual's parser, given each bracketed paste whole and free of escape sequences."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._in_paste = False
        self._held = ""

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # end of input: what was held goes as it is
            rest, self._held = self._held, ""
            tokens = list(super().feed(rest)) if rest else []
            return tokens + list(super().feed(""))
        text, self._held = self._held + data, ""
        out: list[str] = []
        while text:
            if self._in_paste:
                end = text.find(PASTE_END)
                if end < 0:
                    self._held = text  # the paste goes on in the next read
                    text = ""
                    break
                body, text = text[:end], text[end + len(PASTE_END) :]
                out.append(PASTE_START + clean(body).replace("\x1b", "") + PASTE_END)
                self._in_paste = False
            else:
                start = text.find(PASTE_START)
                if start < 0:
                    held = _held_prefix(text, PASTE_START)
                    out.append(text[: len(text) - held])
                    self._held = text[len(text) - held :]
                    break
                out.append(text[:start])
                text = text[start + len(PASTE_START) :]
                self._in_paste = True
        joined = "".join(out)
        # nothing to parse yet (a read that opened a paste longer than itself): never
        # an empty feed, which Textual's parser takes for the end of input, after
        # which the next read stopped aoi ("end of file reached")
        return list(super().feed(joined)) if joined else []


class TerminalDriver(LinuxDriver):
    """Textual's Linux driver with a tolerant decoder and the paste-safe parser."""

    def run_input_thread(self) -> None:
        """As `LinuxDriver.run_input_thread` (Textual 8.2), but for the two lines that
        build the decoder and the parser."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = PasteSafeParser(self._debug)
        decode = getincrementaldecoder("utf-8")(errors="replace").decode

        def process(events: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            for index, (_key, mask) in enumerate(events):
                if mask & selectors.EVENT_READ:
                    last = index == len(events) - 1
                    data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not data:
                        break  # stdin is a pipe that ended
                    for event in parser.feed(data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process(selector.select(0.1))
            selector.unregister(self.fileno)
            process(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass
