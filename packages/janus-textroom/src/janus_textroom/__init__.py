"""janus-textroom: Janus's TextRoom plugin for janus-webrtc, text chat over a data channel.

Installed, it registers itself: ``await session.attach("textroom")`` returns a
:class:`TextRoomHandle`::

    chat = await session.attach("textroom")
    await chat.setup()
    await chat.join(1234, "alice")
    await chat.message(1234, "hello, room")
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from .errors import (
    ERROR_ALREADY_IN_ROOM,
    ERROR_ALREADY_SETUP,
    ERROR_INVALID_ELEMENT,
    ERROR_INVALID_JSON,
    ERROR_INVALID_REQUEST,
    ERROR_MISSING_ELEMENT,
    ERROR_NO_MESSAGE,
    ERROR_NO_SUCH_ROOM,
    ERROR_NO_SUCH_USER,
    ERROR_NOT_IN_ROOM,
    ERROR_ROOM_EXISTS,
    ERROR_UNAUTHORIZED,
    ERROR_UNKNOWN_ERROR,
    ERROR_USERNAME_EXISTS,
    AlreadyInRoomError,
    AlreadySetupError,
    InvalidElementError,
    InvalidJsonError,
    InvalidRequestError,
    MissingElementError,
    NoMessageError,
    NoSuchRoomError,
    NoSuchUserError,
    NotInRoomError,
    RoomExistsError,
    TextRoomError,
    TextRoomUnauthorizedError,
    UnknownTextRoomError,
    UsernameExistsError,
)
from .handle import DATA_CHANNEL_LABEL, AllowedAction, TextRoomHandle, Via
from .messages import (
    AllowedTokens,
    Announcement,
    ChatMessage,
    Joined,
    MessageSent,
    Participant,
    ParticipantJoined,
    ParticipantKicked,
    ParticipantLeft,
    RoomCreated,
    RoomDestroyed,
    RoomEdited,
    RoomId,
    RoomInfo,
    TextRoomEvent,
    UnknownTextRoomEvent,
)

try:
    __version__ = _version("janus-textroom")
except _PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "DATA_CHANNEL_LABEL",
    "ERROR_ALREADY_IN_ROOM",
    "ERROR_ALREADY_SETUP",
    "ERROR_INVALID_ELEMENT",
    "ERROR_INVALID_JSON",
    "ERROR_INVALID_REQUEST",
    "ERROR_MISSING_ELEMENT",
    "ERROR_NOT_IN_ROOM",
    "ERROR_NO_MESSAGE",
    "ERROR_NO_SUCH_ROOM",
    "ERROR_NO_SUCH_USER",
    "ERROR_ROOM_EXISTS",
    "ERROR_UNAUTHORIZED",
    "ERROR_UNKNOWN_ERROR",
    "ERROR_USERNAME_EXISTS",
    "AllowedAction",
    "AllowedTokens",
    "AlreadyInRoomError",
    "AlreadySetupError",
    "InvalidElementError",
    "InvalidJsonError",
    "InvalidRequestError",
    "MissingElementError",
    "NoMessageError",
    "UnknownTextRoomError",
    "Announcement",
    "ChatMessage",
    "Joined",
    "MessageSent",
    "NoSuchRoomError",
    "NoSuchUserError",
    "NotInRoomError",
    "Participant",
    "ParticipantJoined",
    "ParticipantKicked",
    "ParticipantLeft",
    "RoomCreated",
    "RoomDestroyed",
    "RoomEdited",
    "RoomExistsError",
    "RoomId",
    "RoomInfo",
    "TextRoomError",
    "TextRoomEvent",
    "TextRoomHandle",
    "TextRoomUnauthorizedError",
    "UnknownTextRoomEvent",
    "UsernameExistsError",
    "Via",
    "__version__",
]
