"""JSON the model writes to a JSON schema, with decoding constrained to the schema where the backend can:
- llama_server, openai: the server's ``response_format`` (json_schema; llama.cpp turns it into a grammar, vLLM and
  Ollama constrain it too);
- llama_cpp: llama-cpp-python's ``response_format`` (json_object with the schema: a grammar as well);
- transformers: not constrained; the text from the first ``{`` to the last ``}`` is returned.
The caller validates the text (pydantic): a reply that does not fit is the caller's one-line error.
"""

from rag.settings import Settings


def structured_json(llm, settings: Settings, messages: list[dict], schema: dict, max_tokens: int) -> str:
    from rag.llm import chat_messages, served

    if served(settings):
        from rag.llm.openai_backend import client

        with client(llm) as api:
            reply = api.chat.completions.create(model=llm.model, messages=messages, temperature=0, max_tokens=max_tokens,
                                                response_format={"type": "json_schema",
                                                                 "json_schema": {"name": "reply", "schema": schema}})
        return reply.choices[0].message.content or ""
    if settings.llm.backend == "llama_cpp":
        reply = llm._model.create_chat_completion(messages=messages, temperature=0, max_tokens=max_tokens,
                                                  response_format={"type": "json_object", "schema": schema})
        return reply["choices"][0]["message"]["content"] or ""
    text = str(llm.chat(chat_messages(messages)).message.content or "")
    return text[text.find("{"): text.rfind("}") + 1]
