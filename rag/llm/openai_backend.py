"""Any OpenAI-compatible server (vLLM, llama.cpp server, Ollama) by base URL and model name.

Answers are streamed with the ``openai`` client directly, so that the request is closed the moment its reader stops
(a withdrawn answer, a length cap): the server then stops writing and its slot is free at once. A Stop from another
thread (rag/stopping.py) shuts the request's socket down, even while the server is still reading the prompt and the
reply has not begun. Choices come from the server's ``top_logprobs`` for one generated token; JSON from its
``response_format`` (json_schema: llama.cpp turns it into a grammar, vLLM and Ollama constrain it too).
"""

import socket
from collections.abc import Iterator

import numpy as np

from rag import stopping
from rag.llm.base import Backend, variants


def _stoppable(request) -> None:
    """httpx request hook: no request once the answer is stopped; a Stop shuts the new connection's socket down
    (httpcore's ``trace`` extension hands over the connection it opens)."""
    stopping.check()

    def trace(event: str, info: dict) -> None:
        if event == "connection.connect_tcp.complete" and info.get("return_value") is not None:
            sock = info["return_value"].get_extra_info("socket")
            stopping.hold(lambda: sock.shutdown(socket.SHUT_RDWR))

    request.extensions["trace"] = trace


class OpenAIBackend(Backend):
    served = True

    def _load(self) -> str:
        return self.settings.llm.base_url  # nothing to load: the server holds the model

    def _client(self):
        import httpx
        from openai import OpenAI

        return OpenAI(base_url=self.model, api_key=self.settings.llm.api_key, timeout=self.settings.llm.request_timeout_s,
                      http_client=httpx.Client(event_hooks={"request": [_stoppable]}))

    def _create(self, messages: list[dict], **options):
        llm = self.settings.llm
        return self._client(), dict(model=llm.model_name, messages=messages, temperature=llm.temperature) | options

    def stream(self, messages: list[dict], max_tokens: int | None = None) -> Iterator[str]:
        """The reply's text deltas; closing this generator closes the request."""
        client, request = self._create(messages, stream=True, max_tokens=max_tokens or self.settings.llm.max_new_tokens)
        with client as api, api.chat.completions.create(**request) as stream:
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content

    def next_word(self, messages: list[dict], options: list[str]) -> dict[str, float]:
        client, request = self._create(messages, max_tokens=1, temperature=0, logprobs=True, top_logprobs=20)
        with client as api:
            reply = api.chat.completions.create(**request)
        out = {o: 0.0 for o in options}
        for entry in reply.choices[0].logprobs.content[0].top_logprobs:
            for o in options:
                if entry.token in variants(o):
                    out[o] += float(np.exp(entry.logprob))
        return out

    def structured(self, messages: list[dict], schema: dict, max_tokens: int) -> str:
        client, request = self._create(messages, temperature=0, max_tokens=max_tokens, response_format={
            "type": "json_schema", "json_schema": {"name": "reply", "schema": schema}})
        with client as api:
            reply = api.chat.completions.create(**request)
        return reply.choices[0].message.content or ""

    def warm(self) -> None:
        _ = self.model  # a server keeps its own prompt cache

    def describe(self) -> str:
        return f"openai: {self.settings.llm.model_name} at {self.settings.llm.base_url}"
