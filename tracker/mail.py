"""E-mail: compose a message (text, HTML, attachments, RFC 8058 unsubscribe) and hand it to
an SMTP server (smtplib; STARTTLS for smtp://, TLS from the start for smtps://).

Sending never happens inside a request: services queue composed messages in the outbox
(tracker.services.outbox), and `tracker send-mail` / `tracker remind` deliver them.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import urlsplit

from config import SmtpSettings

TIMEOUT_SECONDS = 30
# Headers may run to RFC 5322's 998 characters: a long List-Unsubscribe URL must stay one
# word in angle brackets, not be folded into encoded words that mail clients cannot follow.
WIRE_POLICY = SMTP_POLICY.clone(max_line_length=998)


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


def compose(letter: Letter, sender: str, base_url: str) -> EmailMessage:
    """The message: multipart text and HTML, Message-ID, Date, one-click unsubscribe."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = letter.recipient
    message["Subject"] = letter.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid("nap", domain=urlsplit(base_url).hostname or "localhost")
    # RFC 8058: mail clients offer a button that POSTs here; no sign-in, no confirmation page.
    message["List-Unsubscribe"] = f"<{letter.unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    message.set_content(letter.text)
    message.add_alternative(letter.html, subtype="html")
    for attachment in letter.attachments:
        message.add_attachment(
            attachment.content,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
        )
    return message


def as_text(message: EmailMessage) -> str:
    """The message as it goes over the wire (7-bit, CRLF), to keep in the outbox."""
    return message.as_string(policy=WIRE_POLICY)


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
            self._smtp.sendmail(parseaddr(sender)[1], [recipient], raw.encode("ascii"))
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
