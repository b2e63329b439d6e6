from chipwatch.extract.sentences import quoted_spans, split_sentences


def pieces(text, lang="en"):
    return [text[a:b] for a, b in split_sentences(text, lang)]


def test_english_basic_and_abbreviations():
    text = "The U.S. Commerce Dept. issued rules. Mr. Lee and Dr. Park met at 5.5 p.m. on Jan. 3. Done!"
    assert pieces(text) == [
        "The U.S. Commerce Dept. issued rules.",
        "Mr. Lee and Dr. Park met at 5.5 p.m. on Jan. 3.",
        "Done!",
    ]


def test_company_suffix_splits_before_capital():
    assert pieces("It was sold by Acme Inc. The buyer paid. No. 3 is Acme Inc. and friends.") == [
        "It was sold by Acme Inc.", "The buyer paid.", "No. 3 is Acme Inc. and friends."]


def test_no_split_inside_quotes():
    text = 'She said, "Prices rose. Demand fell." Then she left.'
    assert pieces(text) == ['She said, "Prices rose. Demand fell."', "Then she left."]


def test_korean_endings_and_quotes():
    text = "회사는 “수요가 많다. 공급을 늘린다.”고 밝혔다. 그는 말을 아꼈다.\n\n다음 문단이다"
    assert pieces(text, "ko") == ["회사는 “수요가 많다. 공급을 늘린다.”고 밝혔다.", "그는 말을 아꼈다.", "다음 문단이다"]


def test_chinese_terminals_and_corner_quotes():
    text = "发言人表示：“我们注意到了。会继续关注。”他随后离开。「这是引用。还没完。」好吧！"
    assert pieces(text, "zh") == ["发言人表示：“我们注意到了。会继续关注。”", "他随后离开。", "「这是引用。还没完。」", "好吧！"]


def test_unbalanced_quote_does_not_swallow_paragraphs():
    text = "He said “this never closes. Next sentence.\n\nNew paragraph. Another one."
    assert pieces(text)[-2:] == ["New paragraph.", "Another one."]


def test_hard_wrap_is_not_a_break_but_newline_after_period_is():
    assert pieces("A long line that\nwraps here. Then\nNext one") == [
        "A long line that\nwraps here.", "Then", "Next one"]


def test_quoted_spans_ignore_apostrophes():
    text = "The firm’s CEO said ‘no way’ and Nvidia's 'best' chip"
    assert [text[a:b + 1] for a, b in quoted_spans(text)] == ["‘no way’", "'best'"]


def test_offsets_are_trimmed():
    text = "  One. \n Two.  "
    assert split_sentences(text) == [(2, 6), (9, 13)]


def test_attribution_after_closing_quote_stays_with_quote():
    assert pieces('"Will they buy?" Jensen Huang asked. "No." Then silence.') == [
        '"Will they buy?" Jensen Huang asked.', '"No."', "Then silence."]
    assert pieces("“我们不会退让。”商务部说。随后散会。", "zh") == ["“我们不会退让。”商务部说。", "随后散会。"]


def test_korean_end_without_space():
    assert pieces("수출을 막았다.이에 주가가 5.5% 떨어졌다.", "ko") == ["수출을 막았다.", "이에 주가가 5.5% 떨어졌다."]
