"""Hands one e-mail to the SMTP server from the settings in config.py."""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid


def compose(config, to: str, subject: str, body: str, ics: str = "", method: str = "") -> EmailMessage:
    """The e-mail as it goes out: plain text, with an iCalendar attachment when there is one."""
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="opkoers")
    message.set_content(body)
    if ics:
        message.add_attachment(
            ics.encode(),
            maintype="text",
            subtype="calendar",
            filename="uitnodiging.ics",
            params={"method": method or "REQUEST"},
        )
    return message


def send(config, message: EmailMessage) -> None:
    """Deliver through SMTP; raises OSError or smtplib.SMTPException when that fails."""
    timeout = config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        server = smtplib.SMTP_SSL(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout, context=ssl.create_default_context()
        )
    else:
        server = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
    with server:
        if config["MAIL_USE_STARTTLS"] and not config["MAIL_USE_SSL"]:
            server.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            server.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        server.send_message(message, to_addrs=[message["To"]])
