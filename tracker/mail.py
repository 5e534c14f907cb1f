"""E-mail: compose a message (text, HTML, attachments, RFC 8058 unsubscribe) and hand it to
an SMTP server (smtplib; STARTTLS for smtp://, TLS from the start for smtps://).

Sending never happens inside a request: services queue composed messages in the outbox
(tracker.services.outbox), and `tracker send-mail` / `tracker remind` deliver them.
"""

from __future__ import annotations

import contextlib
import io
import smtplib
import ssl
from dataclasses import dataclass, field
from email import encoders
from email.charset import QP, Charset
from email.generator import Generator
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from typing import cast
from urllib.parse import urlsplit

from config import SmtpSettings

TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message, e.g. an .ics invitation for a meeting."""

    filename: str
    content: bytes
    maintype: str
    subtype: str


@dataclass(frozen=True)
class Letter:
    """What one e-mail says, before it becomes MIME."""

    recipient: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str
    attachments: list[Attachment] = field(default_factory=list)


def compose(letter: Letter, sender: str, base_url: str) -> Message:
    """The message: multipart text and HTML, Message-ID, Date, one-click unsubscribe.

    Built with the classic MIME classes: the modern EmailMessage API parses every header it
    is given, which made composing the messages of a reminder run for 1,000 users take most
    of the run's time; the result on the wire is the same.
    """
    body = MIMEMultipart("alternative")
    body.attach(_text(letter.text, "plain"))
    body.attach(_text(letter.html, "html"))
    message: Message = body
    if letter.attachments:
        message = MIMEMultipart("mixed")
        message.attach(body)
        for attachment in letter.attachments:
            part = MIMEBase(attachment.maintype, attachment.subtype)
            part.set_payload(attachment.content)
            encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
            message.attach(part)
    message["From"] = _address(sender)
    message["To"] = letter.recipient
    # A Header encodes non-ASCII subjects (RFC 2047); typeshed only knows str here.
    message["Subject"] = cast(str, Header(letter.subject, "utf-8"))
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid("nap", domain=urlsplit(base_url).hostname or "localhost")
    # RFC 8058: mail clients offer a button that POSTs here; no sign-in, no confirmation page.
    message["List-Unsubscribe"] = f"<{letter.unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    return message


def _text(content: str, subtype: str) -> MIMENonMultipart:
    # Quoted-printable rather than base64: the outbox page shows the text as it is sent.
    charset = Charset("utf-8")
    charset.body_encoding = QP
    part = MIMENonMultipart("text", subtype)
    part.set_payload(content, charset)
    return part


def _address(value: str) -> str:
    name, address = parseaddr(value)
    return formataddr((str(Header(name, "utf-8")) if not name.isascii() else name, address))


def as_text(message: Message) -> str:
    """The message as it goes over the wire (7-bit), to keep in the outbox.

    Headers are not folded: a long List-Unsubscribe URL must stay one word in angle brackets
    (RFC 5322 allows lines of 998 characters)."""
    out = io.StringIO()
    Generator(out, mangle_from_=False, maxheaderlen=0).flatten(message)
    return out.getvalue()


class DeliveryError(Exception):
    """The server did not take the message; `permanent` says whether retrying can help."""

    def __init__(self, reply: str, permanent: bool) -> None:
        super().__init__(reply)
        self.reply = reply
        self.permanent = permanent


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(words.split())}"


class Mailer:
    """One SMTP connection for a batch of messages; opened on first use."""

    def __init__(self, settings: SmtpSettings, ca_file: str | None = None) -> None:
        self.settings = settings
        self.context = ssl.create_default_context(cafile=ca_file)
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp: smtplib.SMTP
        if s.implicit_tls:
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT_SECONDS, context=self.context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS)
            smtp.starttls(context=self.context)  # refuses to go on in clear text
        if s.username:
            smtp.login(s.username, s.password)
        return smtp

    def send(self, raw: str, recipient: str, sender: str) -> None:
        """Hand one message to the server; DeliveryError says why not."""
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            # A str: smtplib turns its line ends into CRLF (bytes would go as they are).
            self._smtp.sendmail(parseaddr(sender)[1], [recipient], raw)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            raise DeliveryError(_reply(code, text), permanent=code >= 500) from None
        except smtplib.SMTPResponseException as error:
            self.close()
            permanent = error.smtp_code >= 500 and error.smtp_code != 530  # 530: log in first
            raise DeliveryError(_reply(error.smtp_code, error.smtp_error), permanent) from None
        except (smtplib.SMTPException, OSError) as error:  # down, refused, timed out, TLS
            self.close()
            raise DeliveryError(f"{type(error).__name__}: {error}", permanent=False) from None

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None
