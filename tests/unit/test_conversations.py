"""Saved chats: listed latest first for their owner only; another owner can neither open, delete nor overwrite them."""

import pytest

from rag.conversations import ConversationStore, new_id
from rag.settings import Settings
from ui.conversations import owner

CHAT = [{"role": "user", "content": "How much SRAM does MCUNetV2 save?"}, {"role": "assistant", "content": "4-8x [1]"}]


def test_chats_are_kept_per_owner_and_survive_a_new_store(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite3")
    first, second = new_id(), new_id()
    store.save("user:ada", first, CHAT, [{"answer": "4-8x [1]", "citations": []}], CHAT[0]["content"])
    store.save("user:ada", second, [{"role": "user", "content": "Which papers use MoE?"}], [], "Which papers use MoE?")
    store.save("user:ada", first, [*CHAT, {"role": "user", "content": "And its accuracy?"}], [],
               CHAT[0]["content"])  # updated: now the latest
    reopened = ConversationStore(tmp_path / "c.sqlite3")  # after a server restart
    assert reopened.titles("user:ada") == [(first, CHAT[0]["content"]), (second, "Which papers use MoE?")]
    assert len(reopened.load("user:ada", first).messages) == 3
    assert reopened.titles("user:bo") == [] and reopened.load("user:bo", first) is None
    assert not reopened.delete("user:bo", first) and reopened.load("user:ada", first) is not None
    with pytest.raises(PermissionError):
        reopened.save("user:bo", first, CHAT, [], "mine now")  # never overwrites another's chat
    assert len(reopened.load("user:ada", first).messages) == 3
    assert reopened.delete("user:ada", first) and reopened.titles("user:ada") == [(second, "Which papers use MoE?")]


def test_owners_are_the_logged_in_user_else_the_browser():
    class Request:
        username = "ada"

    assert owner("b1", Request()) == "user:ada" and owner("b1", None) == "browser:b1"


def test_logins_are_the_single_one_and_the_users_table():
    ui = Settings(ui={"username": "root", "password": "pw", "users": {"ada": "a1", "bo": "b2", "nobody": ""}}).ui
    assert ui.logins() == [("root", "pw"), ("ada", "a1"), ("bo", "b2")] and Settings().ui.logins() == []
