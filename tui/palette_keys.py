"""Keys typed straight after the command palette's Enter reach the screen the command opens.

A terminal delivers a burst of keys at once: ``ctrl+p stepper Enter b`` gives the app the ``b``
before the palette has handled the Enter. Textual sent it to the palette's search box, where
``stepperb`` picked another command (Stepper: micro-batches), and the ``b`` itself was lost; a key
arriving after the palette closed went to the screen underneath, before the command's screen existed.

So from an Enter on the palette, the app holds every key until the palette has closed, its command
has run and the screen it opened has mounted; then it sends the held keys again, in order, to that
screen. When the Enter runs nothing (no match yet), or the palette closes without a command, the
held keys go on at once to whatever is on top. A guard hands them on if none of that happens.
"""

from __future__ import annotations

from time import monotonic

from textual import events, on
from textual.app import App
from textual.command import CommandPalette

from tui.screens.command_palette import DojoCommandPalette

GUARD_SECONDS = 5.0
"""Keys held this long for a palette that is still open and waits for nothing go to it after all."""


class KeysAfterPalette(App):
    """An app whose palette is :class:`DojoCommandPalette`, holding the keys typed after its Enter
    for the screen the command opens."""

    _held_keys: list[events.Key] | None = None
    """Keys waiting for the palette's command to open its screen; ``None`` when none are held."""
    _held_since = 0.0

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(DojoCommandPalette(id="--command-palette"))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._held_keys is not None:
                self._held_keys.append(event)
                return
            if event.key == "enter" and isinstance(self.screen, CommandPalette):
                self._held_keys, self._held_since = [], monotonic()
                self.set_timer(GUARD_SECONDS, self._guard)
        await super().on_event(event)

    @on(CommandPalette.Closed)
    def _palette_closed(self, message: CommandPalette.Closed) -> None:
        if self._held_keys is None:
            return
        if not message.option_selected:
            self._release_held_keys()
            return
        # The palette queued its command just after this message: once that has run, the screen it
        # pushed (if any) is on top, and a callback queued on that screen runs once it has mounted.
        self.call_later(lambda: self.screen.call_later(self._release_held_keys))

    @on(DojoCommandPalette.EnterLeftItOpen)
    def _palette_stayed(self) -> None:
        self._release_held_keys()

    def _guard(self) -> None:
        """Hand held keys on if the palette is still open and waits for no search."""
        if self._held_keys is None or monotonic() - self._held_since < GUARD_SECONDS:
            return
        palette = self.screen
        if isinstance(palette, DojoCommandPalette) and (palette.enter_waiting or palette.searching()):
            self.set_timer(GUARD_SECONDS, self._guard)
            return
        self._release_held_keys()

    def _release_held_keys(self) -> None:
        held, self._held_keys = self._held_keys or [], None
        for key in held:
            # Sent by the app, as the terminal's keys are: a key bubbles back up to its sender, where
            # the screen's bindings are checked (one sent by the screen would stop there, unbound).
            self.post_message(events.Key(key.key, key.character).set_sender(self))
