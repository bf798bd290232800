"""Whose claim a cited sentence of an answer makes: its figures must come from the papers it cites (numbered
sentences as sources: a detail's evidence), and from a paper it names when it names one."""

from rag.answer.grounding import numbers, ungrounded
from rag.answer.naming import names_paper
from rag.answer.prompting import Shown


def beyond(claim: str, sources: list[Shown], cited: list[int], question: str) -> list[str]:
    """What of ``claim`` the papers it cites do not hold together: its numbers must be in the shown sentences of
    the cited papers (a marker names a paper to the reader: the model citing the sentence before the one with
    the number, dev d018/d019, is not a claim from elsewhere); a name may come from any abstract shown (a
    sentence citing a result may name the method another describes)."""
    papers = {s.hit.paper_id for s in sources if s.n in cited}
    chosen = [s for s in sources if s.hit.paper_id in papers]
    return ungrounded(claim, " ".join(s.evidence for s in chosen), question, " ".join(s.abstract for s in sources))


def named_elsewhere(claim: str, sources: list[Shown], cited: list[int], question: str) -> str:
    """The figures ``claim`` gives for a shown paper it names while citing only papers it does not name ("KAT
    reports 82.1% [the MetaFormer abstract]": another paper's figure under the asked paper's name), those the
    question does not write; "" when there are none, or it names no shown paper, or it names one it cites."""
    named = {s.hit.paper_id for s in sources if names_paper(claim, s.name, s.hit.title)}
    cited_papers = {s.hit.paper_id for s in sources if s.n in cited}
    asked = {value for value, _ in numbers(question)}
    values = sorted({value + unit for value, unit in numbers(claim) if value not in asked})
    return "" if not named or named & cited_papers else ", ".join(values)
