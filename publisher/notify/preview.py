"""A release's notice mail as a fixed, fictional contact receives it, for staff to read before
anything is sent (`publisher serve` shows it at /_mail/<incident>/<date>/).

The contact is never one of a list's: a sample name on example.jp or example.com, in the
language of the notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage

from markupsafe import escape

from publisher.errors import NotifyError
from publisher.messages import _
from publisher.model.content import Content
from publisher.notify.contacts import Contact
from publisher.notify.message import build_mime, plan_notice
from publisher.render.theme import Theme

SAMPLES = {
    "ja": Contact(0, "yamada.taro@example.jp", "yamada.taro@example.jp", "山田 太郎"),
    "en": Contact(0, "alex.sample@example.com", "alex.sample@example.com", "Alex Sample"),
}
"""The sample contact of a notice in each language (English for any other)."""
SHOWN = ("From", "Reply-To", "To", "Subject")


@dataclass(frozen=True)
class MailPreview:
    """The mail a sample contact gets: the headers shown, the text part and the HTML part."""

    headers: tuple[tuple[str, str], ...]
    text: str
    html: str


def sample_contact(lang: str) -> Contact:
    """The fictional contact who receives the preview of a notice in `lang`."""
    return SAMPLES.get(lang.split("-")[0].lower(), SAMPLES["en"])


def preview_mail(content: Content, release_id: str, theme: Theme) -> MailPreview:
    """The notice of `release_id` as its sample contact receives it; raise NotifyError if there
    is no such release or it has no mail, ContentError if a safety rule breaks."""
    record = content.find_release(release_id)
    if record is None:
        said = _("no release {release} (ids look like emotet-2020/2020-11-14)")
        raise NotifyError(said.format(release=repr(release_id)))
    notice = plan_notice(content, record, theme)
    lang = record.release.lang or content.site.language
    mail = build_mime(notice, sample_contact(lang), datetime.now(UTC))
    return MailPreview(tuple((h, str(mail[h])) for h in SHOWN if mail[h]), *_parts(mail))


def _parts(mail: EmailMessage) -> tuple[str, str]:
    text, html = (part.get_content() for part in mail.iter_parts())
    return text.replace("\r\n", "\n"), html.replace("\r\n", "\n")


def preview_bar(preview: MailPreview, text_link: str) -> str:
    """The strip `serve` adds under the mail: its headers and a link to its text part."""
    rows = "".join(f"<br>{escape(name)}: {escape(value)}" for name, value in preview.headers)
    return (
        '<div style="margin:16px auto;max-width:600px;padding:8px 12px;font:14px/1.5 sans-serif;'
        'background:#fffbe6;border:1px dashed #b08800;color:#1a1a1a;">'
        f"Preview for a sample contact, not sent{rows}"
        f'<br><a href="{escape(text_link)}">The text part</a></div>\n'
    )
