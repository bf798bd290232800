"""The chat page's answer HTML: paper text escaped, list lines a list, a survey's Markdown table a table, [n] links."""

from ui.render import answer_html


def test_a_table_answer_becomes_an_html_table_with_escaped_cells_and_citation_links():
    html = answer_html("| Paper | Data |\n|---|---|\n| MCUNetV2 [1] | ImageNet <b> |\n| TinyTL [2] | CIFAR |", cited=2)
    assert html.startswith('<table class="answer-table"><thead><tr><th>Paper</th><th>Data</th></tr></thead>')
    assert html.count("<tr>") == 3 and "---" not in html and "&lt;b&gt;" in html and "<b>" not in html
    assert '<td>MCUNetV2 <a class="cite" href="#src-1">[1]</a></td>' in html


def test_list_lines_are_a_list_and_markers_past_the_sources_stay_text():
    html = answer_html("Two papers:\n- A [1]: x\n- B [3]: y", cited=2)
    assert html == ('Two papers:<br><ul class="answer-list"><li>A <a class="cite" href="#src-1">[1]</a>: x</li>'
                    "<li>B [3]: y</li></ul>")


def test_a_source_shows_its_whole_abstract_with_the_cited_sentence_marked_and_its_metadata():
    from rag.answer.types import Answer
    from rag.retrieve.retriever import Hit
    from ui.render import sources_html

    hit = Hit("p1", "Tiny <i>ML</i>", 0.9, "", "p1#0", relevance=0.9,
              metadata={"authors": "Ada Li, Bo Chen, Cy Wu, Di Xu", "date": "2023-05-02", "venue": "MLSys", "upvotes": 7,
                        "url": "https://arxiv.org/abs/2305.00001"})
    answer = Answer("q", "q", "", [], False, [hit], {})
    answer.cite(hit, "It cuts peak SRAM by 4-8x.")
    abstract = "We study <script>x</script> memory. It cuts peak SRAM by 4-8x. It runs on an MCU."
    html = sources_html(answer, {"p1": abstract})
    assert "<mark>It cuts peak SRAM by 4-8x.</mark>" in html and "It runs on an MCU." in html  # the whole abstract
    assert "&lt;script&gt;" in html and "<script>" not in html and "&lt;i&gt;ML" in html
    assert "Ada Li, Bo Chen, Cy Wu et al." in html and "2023-05-02" in html and "MLSys" in html and "7 upvotes" in html
    assert 'href="https://arxiv.org/abs/2305.00001"' in html
    hit.metadata["url"] = "javascript:alert(1)"  # a link only to a web address
    assert "javascript:" not in sources_html(answer, {"p1": abstract})
