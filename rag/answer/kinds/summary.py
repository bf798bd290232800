"""'Summarize X' / 'what is X about?': a short summary of that one paper's whole abstract.

The paper is the one the question names (its short name or most of its title), else the one whose
evidence is closest. Its heading (name, title, citation) is shown at once; the model's summary of the
abstract follows, checked sentence by sentence like every model answer. A small model often leaves the numbers out:
each of the abstract's result sentences (its last ``summary.result_sentences`` with a number) whose numbers the summary
does not state is quoted after it.
"""

from collections.abc import Iterator

from rag.answer.grounding import numbers
from rag.answer.kinds.base import Question, Strategy
from rag.answer.kinds.generation import write
from rag.answer.naming import names_paper
from rag.answer.types import Answer


class SummaryStrategy(Strategy):
    kind = "summary"
    gated = False  # "summarize CoAT" is short and far from every passage; the paper it names decides

    def stream(self, question: Question, answer: Answer) -> Iterator[str]:
        evidence = self.tools.evidence(question)
        named = [e for e in evidence if names_paper(question.text, e.name, e.hit.title)]
        paper = named[0] if named else max(evidence, key=lambda e: e.best, default=None)
        if paper is None or not named and paper.best < self.settings.answer.summary.min_evidence:
            yield from self.refuse(answer, "no indexed paper matches what the question names")
            return
        head = f"{paper.label} [{answer.cite(paper.hit, paper.abstract)}]:"
        answer.text = head
        yield head
        failed = yield from write(self, question.text, answer, [paper], "summary", budget=self.settings.answer.summary.tokens,
                                  max_tokens=question.max_tokens or self.settings.llm.max_new_tokens)
        if failed:  # the model wrote nothing that passed the checks: the abstract's own opening instead
            shown = answer.text != head
            answer.citations = answer.citations[:1]
            fallback = " " + " ".join(paper.sentences[:2])
            answer.text, answer.basis = head + fallback, "evidence"
            yield (f"\n{self.withdrawn(failed)} {head}" if shown else "") + fallback
        stated = numbers(answer.text.removeprefix(head))
        results = [s for s in paper.sentences if numbers(s)]
        results = results[max(len(results) - self.settings.answer.summary.result_sentences, 0):]
        quoted = [s for s in results if not numbers(s) & stated]
        if quoted:
            quote = f" Main result{'s' if len(quoted) > 1 else ''}: " + " ".join(f"“{s}”" for s in quoted)
            answer.text += quote
            yield quote
