"""Cyclic garbage is collected on the GUI thread, never on a worker."""

import gc
import threading
from typing import ClassVar

from invictus_desktop.gui import gui_thread_gc


class Node:
    """One half of a reference cycle that says where it was finalised."""

    finalised_on: ClassVar[list[threading.Thread]] = []

    def __del__(self) -> None:
        Node.finalised_on.append(threading.current_thread())


def make_cycles(count: int) -> None:
    for _ in range(count):
        first, second = Node(), Node()
        first.other, second.other = second, first


def test_cycles_made_on_a_worker_are_collected_on_the_gui_thread(qapp, qtbot):
    Node.finalised_on.clear()
    gui_thread_gc.install(qapp)
    try:
        assert not gc.isenabled()
        worker = threading.Thread(target=make_cycles, args=(2000,))
        worker.start()
        worker.join()
        assert Node.finalised_on == []  # far past the threshold, yet not collected there

        qtbot.waitUntil(lambda: len(Node.finalised_on) == 4000, timeout=5000)
        assert set(Node.finalised_on) == {threading.main_thread()}
    finally:
        gui_thread_gc.uninstall(qapp)
    assert gc.isenabled()


def test_installing_twice_keeps_one_collector(qapp):
    first = gui_thread_gc.install(qapp)
    try:
        assert gui_thread_gc.install(qapp) is first
        assert len(qapp.findChildren(gui_thread_gc.GuiThreadCollector)) == 1
    finally:
        gui_thread_gc.uninstall(qapp)
