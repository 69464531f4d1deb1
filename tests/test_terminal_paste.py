"""A paste longer than one read of the terminal (4 KiB), as tmux or a slow SSH
link delivers it: aoi stopped with "end of file reached" (the read that opened
the paste left nothing else to parse, and an empty feed is the end of input to
Textual's parser)."""

from __future__ import annotations

from textual import events

from aoi_tui.screens.terminal_input import PASTE_END, PASTE_START, PasteSafeParser


def test_a_paste_longer_than_a_read_arrives_whole_and_the_keys_after_it_too() -> None:
    parser = PasteSafeParser()
    stream = PASTE_START + "x" * 10_000 + PASTE_END + "ab"
    got = []
    for start in range(0, len(stream), 4096):  # one terminal read at a time
        got += list(parser.feed(stream[start : start + 4096]))
    pastes = [e for e in got if isinstance(e, events.Paste)]
    keys = [e.key for e in got if isinstance(e, events.Key)]
    assert [len(p.text) for p in pastes] == [10_000]
    assert keys == ["a", "b"]
