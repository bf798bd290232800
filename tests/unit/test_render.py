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
