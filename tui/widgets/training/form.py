"""The training form: dataset, network, optimizer and run settings, read into a validated config."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Select, Static

from tui.core.training.config import ACTIVATIONS, DATASETS, DEVICES, OPTIMIZERS, ConfigError, TrainConfig, parse_hidden


class TrainingForm(Vertical):
    """Settings for a run; :meth:`read` returns a config or raises :class:`ConfigError`."""

    BINDINGS = [Binding("escape", "leave_form", "Done editing")]

    DEFAULT_CSS = """
    TrainingForm { height: auto; }
    TrainingForm Grid { grid-size: 2; grid-columns: 11 1fr; grid-rows: 1; height: auto; grid-gutter: 0 1; }
    TrainingForm Input, TrainingForm Select { height: 1; border: none; padding: 0; }
    TrainingForm Select > SelectCurrent { border: none; padding: 0; height: 1; }
    TrainingForm #form-error { color: $error; height: auto; }
    TrainingForm #form-error.-empty { display: none; }
    /* The field being edited stands out (a compact field's own focus mark is nearly invisible). */
    TrainingForm Input:focus { background: $accent 45%; text-style: bold; }
    TrainingForm Select:focus > SelectCurrent { background: $accent 45%; text-style: bold; }
    /* An open list is a framed box over the whole form's width, covering the labels below it: its
       items never sit beside another field's label ("activation  toy" read as a setting). */
    TrainingForm Select > SelectOverlay.-textual-compact { border: round $accent !important; background: $panel; offset-x: -12;
                                          width: 42; }
    """

    def __init__(self, preset: TrainConfig | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.preset = preset or TrainConfig()

    def compose(self) -> ComposeResult:
        p = self.preset
        with Grid():
            for name, options, value in (("dataset", DATASETS, p.dataset), ("activation", ACTIVATIONS, p.activation),
                                         ("optimizer", OPTIMIZERS, p.optimizer), ("device", DEVICES, p.device)):
                yield Label(name)
                yield Select([(o, o) for o in options], value=value, allow_blank=False, id=f"form-{name}", compact=True)
            for name, value in (("hidden", ",".join(map(str, p.hidden))), ("lr", str(p.lr)),
                                ("batch size", str(p.batch_size)), ("accum", str(p.accum)), ("steps", str(p.steps)),
                                ("processes", str(p.nproc))):
                yield Label(name)
                yield Input(value, id=f"form-{name.replace(' ', '-')}", compact=True)
        yield Static(id="form-error", classes="-empty")  # shown only with an error: its row goes to the numbers

    def action_leave_form(self) -> None:
        """Escape: stop editing, so the screen's keys (s to start) work."""
        self.screen.set_focus(None)

    def read(self) -> TrainConfig:
        """The form's values as a validated config; the error line says what is wrong."""
        def number(field: str, kind: type) -> object:
            raw = self.query_one(f"#form-{field}", Input).value.strip()
            try:
                return kind(raw)
            except ValueError:
                raise ConfigError(f"{field.replace('-', ' ')} {raw!r} is not a {'whole ' if kind is int else ''}number") from None

        try:
            config = TrainConfig(
                dataset=str(self.query_one("#form-dataset", Select).value),
                activation=str(self.query_one("#form-activation", Select).value),
                optimizer=str(self.query_one("#form-optimizer", Select).value),
                device=str(self.query_one("#form-device", Select).value),
                hidden=parse_hidden(self.query_one("#form-hidden", Input).value),
                lr=number("lr", float), batch_size=number("batch-size", int),  # type: ignore[arg-type]
                accum=number("accum", int), steps=number("steps", int),  # type: ignore[arg-type]
                nproc=number("processes", int),  # type: ignore[arg-type]
                samples=self.preset.samples, seed=self.preset.seed,  # not in the form: kept from the preset
                gpu_fraction=self.preset.gpu_fraction,
            ).validate()
        except ConfigError as error:
            shown = self.query_one("#form-error", Static)
            shown.update(f"✗ {str(error).replace('--', '')}")
            shown.remove_class("-empty")
            raise
        self.query_one("#form-error", Static).update("")
        self.query_one("#form-error", Static).add_class("-empty")
        return config
