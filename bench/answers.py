"""Ask ~20 varied questions about the bundled corpus in one warm process.

    .venv/bin/python -m bench.answers        (indexes the bundled corpus first if the store is empty)

Prints time to first token and total answer time (p50/p95), generated tokens/s, peak RSS, and both
error kinds: answerable questions refused, unanswerable ones answered. Targets (2 cores, default
model): time to first token p50 <= 3 s, total answer p50 <= 10 s.
"""

import time

from bench.common import own_peak_rss_mib, percentiles

ANSWERABLE = [
    "Which algorithms were compared for forecasting ATM cash withdrawals at an Indian bank?",
    "How many experts per layer can Monet scale to?",
    "What does BridgeTower add between the uni-modal and cross-modal encoders?",
    "What accuracy does BridgeTower reach on VQAv2 test-std?",
    "Which paper proposes a two-stream MLP model for click-through rate prediction?",
    "What bits per dimension can the Tencent binary embedding retrieval engine use?",
    "By how much does TSMixer outperform state-of-the-art models in forecasting?",
    "What image processing tasks does MAXIM achieve state-of-the-art results on?",
    "What does ShiftAddLLM replace multiplications with?",
    "Which paper studies positional bias in GPT-2's multiple-choice answers?",
    "What is grokking contrasted with in the corrupted algorithmic datasets paper?",
    "Which organisation released ARC-Encoder?",
    "What does the Kolmogorov-Arnold Transformer replace MLP layers with?",
    "Which dataset size was BridgeTower pre-trained on?",
    "What is the problem with polysemantic neurons according to Monet?",
]
UNANSWERABLE = [
    "What is the boiling point of ethanol?",
    "Who won the 2018 FIFA World Cup?",
    "Which GPU model was MAXIM trained on?",
    "How much did it cost to train FinalMLP in US dollars?",
    "What is the capital of Australia?",
]


def main() -> None:
    from rag.answer.prompting import count_tokens
    from rag.answer.service import AnswerService
    from rag.ingest.pipeline import ingest
    from rag.settings import BUNDLED_CORPUS, Settings

    settings = Settings()
    service = AnswerService(settings)
    if service.retriever.store.count_chunks() == 0:
        ingest([BUNDLED_CORPUS], settings)
    start = time.perf_counter()
    service.warm_up()
    print(f"warm-up (embedder, BM25, model load, system prompt) {time.perf_counter() - start:.1f} s")
    ttfts, totals, rates, false_refusals, false_answers = [], [], [], [], []
    for question in ANSWERABLE + UNANSWERABLE:
        answer = service.ask(question)
        t = answer.timings
        if answer.refused and question in ANSWERABLE:
            false_refusals.append(question)
        if not answer.refused and question in UNANSWERABLE:
            false_answers.append(question)
        if answer.refusal_reason != "no indexed paper is close to the question":  # the model ran
            ttfts.append(t["ttft_s"])
            totals.append(t["total_s"])
            if answer.basis == "model" and not answer.refused and t["total_s"] > t["ttft_s"]:  # text the model wrote
                rates.append(count_tokens(answer.text) / (t["total_s"] - t["ttft_s"]))
        mark = "REFUSED" if answer.refused else "answered"
        print(f"  {t['ttft_s']:5.2f} s / {t['total_s']:5.2f} s  {mark:8}  {question}")
    for name, values in (("time to first token", ttfts), ("total answer time", totals)):
        p50, p95 = percentiles(values)
        print(f"{name:<22} p50 {p50:5.2f} s   p95 {p95:5.2f} s   (over {len(values)} questions that reached the model)")
    rate = percentiles(rates)[0] if rates else float("nan")
    print(f"generation             {rate:5.1f} tokens/s p50 (tiktoken count of the answers the model "
          f"wrote, {len(rates)}; answers built from chosen sentences or records arrive at once)")
    print(f"answerable refused     {len(false_refusals)}/{len(ANSWERABLE)}  {false_refusals}")
    print(f"unanswerable answered  {len(false_answers)}/{len(UNANSWERABLE)}  {false_answers}")
    print(f"peak RSS               {own_peak_rss_mib()} MiB")


if __name__ == "__main__":
    main()
