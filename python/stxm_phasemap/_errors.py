"""Exceptions: each carries the protocol's error ``kind`` and the extension's own message."""

from __future__ import annotations

from ._contract import ERROR_KINDS, ContractError


class StxmPhaseMapError(RuntimeError):
    """The extension answered with an error, or could not be reached.

    ``kind`` is one of the contract's error kinds (``ERROR_KINDS`` of ``_contract.py``: the
    extension's ``invalid-request``, ``not-found``, ``failed``, ``cancelled``, or
    ``protocol``/``timeout``/``closed``/``reloaded``/``pending`` for problems on the way);
    ``message`` is the text the extension sent.
    """

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


class WorkbenchNotFoundError(StxmPhaseMapError, LookupError):
    """No workbench (or no file, or no result yet) where the request looked."""


class InvalidRequestError(StxmPhaseMapError, ValueError):
    """The extension refused the request's parameters (the message names the field)."""


class RunCancelledError(StxmPhaseMapError):
    """The run was cancelled (from Python, from the workbench, or by a newer run)."""


class ExtensionUnavailableError(StxmPhaseMapError, ConnectionError):
    """The extension did not answer, closed the connection, or broke the protocol."""


class WorkbenchReloadedError(ExtensionUnavailableError):
    """The JupyterLab page was reloaded (or closed) while the request was under way.

    The browser side of the comm went with the page, and so did the request
    (a run stops with its page). The same ``lab`` and workbench handles work
    again once the page is back: call it again.
    """


class NotReadyError(StxmPhaseMapError):
    """A pending answer was read before it arrived."""


class ProtocolError(ContractError):
    """A message from the extension does not follow the protocol (``path``: the field, if known)."""

    def __init__(self, message: str, path: str = ""):
        super().__init__(path, message)


# --- headless runs (map_file, map_files): the engine in a Node process, no JupyterLab page


class StackFileError(StxmPhaseMapError, ValueError):
    """The engine cannot use an input file: a stack, a references CSV, a manifest.

    ``message`` names the file and the reason in one line (the command line's
    exit-2 line); ``path`` is the file named (None when the message names none).
    ``kind`` is the contract's ``"bad-file"``.
    """

    def __init__(self, kind: str, message: str, path: str | None = None):
        super().__init__(kind, message)
        self.path = path


class EngineUnavailableError(StxmPhaseMapError):
    """The headless engine cannot run: its bundle or its Node.js is missing, or it crashed.

    ``kind`` is the contract's ``"engine-unavailable"``.
    """


#: Each error kind's exception, as the contract names it (ERROR_KINDS[kind]["python"]).
_KINDS: dict[str, type[StxmPhaseMapError]] = {
    kind: globals()[spec["python"]] for kind, spec in ERROR_KINDS.items()
}


def error_for(kind: str, message: str) -> StxmPhaseMapError:
    """The exception class for an error kind, with the extension's message."""
    return _KINDS.get(kind, StxmPhaseMapError)(kind, message)
