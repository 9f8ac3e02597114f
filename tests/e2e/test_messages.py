"""Messages in real Chromium at 390x844: written on a plane, saved on the phone, sent once when back online;
the trainer sees it unread and replies, and the reply is on the client's Today."""

from __future__ import annotations

from playwright.sync_api import expect

from webapp.extensions import db
from webapp.messages.models import Message

from ..factories import DEFAULT_PASSWORD
from .conftest import login, screenshot
from .test_offline import drain, wait_for_outbox, wait_until_installed

WORDS = "On the plane: my back is stiff after sitting, but the bridge felt good yesterday."


def thread_rows(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(m.author, m.body) for m in db.session.execute(db.select(Message).order_by(Message.id)).scalars()]


def test_a_message_written_offline_arrives_once_and_the_reply_reaches_today(live_server, context, page, app, alex):
    login(page, live_server.url)
    wait_until_installed(page)
    context.set_offline(True)

    # The thread opens offline from the offline package, and the message is kept on the phone.
    opened = page.goto(live_server.url + "/messages/")
    assert opened.status == 200
    page.fill("textarea[name=body]", "   ")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("[data-compose-error]")).to_have_text("Write something before sending.")
    page.fill("textarea[name=body]", WORDS)
    page.get_by_role("button", name="Send", exact=True).click()
    waiting = page.locator("[data-waiting] .thread__message")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(WORDS)
    expect(waiting).to_contain_text("Waiting to send")
    written = waiting.locator(".thread__head .meta").inner_text()
    expect(page.locator("[data-sync-status]")).to_contain_text("1 message waiting to sync")
    assert page.locator("textarea[name=body]").input_value() == ""
    screenshot(page, "messages-waiting-390")
    assert thread_rows(app) == []

    # Back online: it goes once, even when the page and a forced drain both try.
    context.set_offline(False)
    drain(page)
    drain(page)
    wait_for_outbox(page, "(items) => items.length === 0")
    sent = page.locator("[data-thread] .thread__message", has_text=WORDS)
    expect(sent).to_contain_text("Sent, not read yet")
    # When it was written, in the same words on the phone and from the server ("Sat 05 Dec, 09:30").
    expect(sent.locator(".thread__head .meta")).to_have_text(written)
    expect(page.locator("[data-waiting] .thread__message")).to_have_count(0)
    assert thread_rows(app) == [("client", WORDS)]

    # The trainer sees one unread message, opens the thread and replies from the plain form.
    trainer = context.browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        desk = trainer.new_page()
        login(desk, live_server.url, "coach@example.com", DEFAULT_PASSWORD)
        expect(desk.locator("[data-unread-total]")).to_contain_text("1 unread message")
        row = desk.locator(".client-row", has_text="Alex Morgan")
        expect(row.locator(".unread")).to_have_text("1 unread message")
        row.locator(".unread").click()
        expect(desk.locator("#messages .thread")).to_contain_text(WORDS)
        # Once shown, the page marks it read itself.
        expect(desk.locator("form[data-notes-seen] button")).to_have_text("Seen")
        desk.fill("textarea[name=body]", "Good to hear. Stand up and walk for a minute every half hour on the plane.")
        desk.get_by_role("button", name="Send", exact=True).click()
        expect(desk.locator(".flash--success")).to_contain_text("Alex sees it")
        screenshot(desk, "messages-trainer-390")
        desk.goto(live_server.url + "/trainer/")
        expect(desk.locator("[data-unread-total]")).to_have_count(0)
    finally:
        trainer.close()

    # The client's Today shows the reply, calmly, and the thread has it too.
    page.goto(live_server.url + "/")
    note = page.locator(".trainer-note")
    expect(note).to_contain_text("A message from Casey Coach")
    expect(note).to_contain_text("walk for a minute")
    expect(page.locator("form[data-notes-seen] button")).to_have_text("Seen")  # marked read once shown
    screenshot(page, "messages-today-390")
    page.get_by_role("link", name="Reply").click()
    expect(page.locator("[data-thread]")).to_contain_text("walk for a minute")
    with app.app_context():
        rows = db.session.execute(db.select(Message).order_by(Message.id)).scalars().all()
        assert [(m.author, m.read_at is not None) for m in rows] == [("client", True), ("trainer", True)]
    assert context.console_errors == []
