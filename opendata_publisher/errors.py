"""The plugin's one base class of expected errors, known to every layer (core, toolbelt, gui, processing)."""


class UserFacingError(Exception):
    """An expected situation (no network, unreadable schema, unknown catalogue entry…) whose ``str()`` is a French
    sentence for the agent saying what is wrong and what to do.

    A background task of the dock shows it as it is, without a traceback; any other exception is a bug and is
    reported as one (gui/tasks.py).
    """
