"""What every screen of the main window shares: the open profile, the task
runner, status messages, navigation, and emptying itself on lock."""

from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from invictus_desktop.gui.autosave import AutosaveQueue, SaveUnit
from invictus_desktop.gui.tasks import Task, TaskControl, TaskRunner
from invictus_desktop.gui.widgets import describe_failure
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.models import Role


class Page(QWidget):
    """A screen of the main window.

    Subclasses set `key` and `title`, build their widgets in `__init__`, load
    data in `page_shown`, and empty every widget in `clear_data` (called on
    lock, before the window closes: no record may stay on screen). A page
    that autosaves writes what is still waiting in `flush_pending` (and again
    in `clear_data`, before the store closes).

    Signals:
        status_message(str): a short message for the status bar.
        navigate_requested(str, object): show the page with that key, opened
            on that item (for example a QUAD id).
        data_changed(): something was saved that other pages may show.

    Attributes:
        profile: the open profile, or None once cleared.
        autosave: the page's queue of writes, for a page that edits (else None).
        runner: the task runner every page uses for slow work.
    """

    key: ClassVar[str] = ""
    title: ClassVar[str] = ""
    shown_to_board: ClassVar[bool] = True
    autosave: AutosaveQueue | None = None

    status_message = Signal(str)
    navigate_requested = Signal(str, object)
    data_changed = Signal()

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile: UnlockedProfile | None = profile
        self.runner = runner

    @classmethod
    def shown_for(cls, role_labels: list[str]) -> bool:
        """Whether the navigation lists this screen for someone with these roles:
        every screen, except that Board members alone (who read published
        reports) never see observation records in the making."""
        return cls.shown_to_board or bool(set(role_labels) - {Role.BOARD_MEMBER.label})

    def page_shown(self) -> None:
        """The page came to the front: load or refresh what it shows."""

    def open_item(self, item: object) -> None:
        """Show one item (another page asked for it); by default just refresh."""
        self.page_shown()

    def flush_pending(self) -> bool:
        """Write every edit still waiting to be saved, now (before a lock);
        False if some could not be written. Pages without autosave have none."""
        return self.autosave is None or self.autosave.flush()

    def hold_unsaved(self) -> list[SaveUnit]:
        """Take out the edits the store refused before a lock that cannot wait
        (`resume_unsaved` queues them again after the unlock)."""
        return [] if self.autosave is None else self.autosave.hold()

    def resume_unsaved(self, units: list[SaveUnit]) -> None:
        """Queue again edits held across a lock (see `hold_unsaved`)."""
        if self.autosave is not None:
            for unit in units:
                self.autosave.put(unit)

    def clear_data(self) -> None:
        """Empty every widget and forget the profile."""
        self.profile = None

    def run(
        self,
        work: Callable[..., Any],
        *args: Any,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        description: str = "",
    ) -> Task | None:
        """Run `work(profile, *args)` in a worker; the callbacks run on the GUI
        thread only while the profile is still open. A failure goes to
        `on_failure`, or else to the status bar. None once the profile is gone."""
        if self.profile is None:
            return None

        def job(control: TaskControl, profile: UnlockedProfile = self.profile) -> Any:
            return work(profile, *args)

        return self.runner.submit(
            job,
            on_success=partial(self._if_open, on_success),
            on_failure=partial(self._if_open, on_failure or self._on_job_failed),
            description=description,
        )

    def failure_text(self, error: BaseException) -> str:
        """What the user reads about a failed job: their situation, or a bug."""
        logs = self.profile.paths.logs if self.profile is not None else "the log folder"
        return describe_failure(error, f"Details are in the log in {logs}.")

    def _if_open(self, callback: Callable[[Any], None] | None, result: Any) -> None:
        if self.profile is not None and callback is not None:
            callback(result)

    def _on_job_failed(self, error: BaseException) -> None:
        if self.profile is None:
            return
        self.status_message.emit(self.failure_text(error))


class LazyPage(Page):
    """A page whose widgets are made the first time it is needed (`build`,
    through `ensure_built`): the main window then opens as fast as if this
    screen were not there.

    Attributes:
        built: whether `build` has run.
    """

    build: Callable[[], None]  # makes the page's widgets; each page gives it

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(profile, runner, parent)
        self.built = False

    def ensure_built(self) -> None:
        if self.built:
            return
        self.build()
        self.built = True
        show_new_children(self)


def show_new_children(page: QWidget) -> None:
    """Show at once the widgets just added to a page that is on screen.

    A layout shows a widget added to a visible parent only on the next turn of
    the event loop; until then it is invisible, its mnemonics and shortcuts
    dead. Widgets hidden on purpose stay hidden.
    """
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    for child in page.findChildren(QWidget, options=direct):
        if not child.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
            child.show()
