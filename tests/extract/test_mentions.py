from chipwatch.extract.mentions import find_mentions, matcher_for


def ids(text, kb, field="body"):
    return [(m.surface, m.id) for m in find_mentions(text, kb, field)]


def test_h20_not_inside_h200_and_plural(kb_mini):
    assert ids("Sales of H200 chips resumed; H20s piled up, not the H20X or XH20.", kb_mini) == [
        ("H200", "H200"), ("H20s", "H20")]


def test_acronyms_are_case_sensitive(kb_mini):
    found = ids("Let us check: the US and AMD's MI308 beat amd rivals in the U.S. market", kb_mini)
    assert found == [("US", "USA"), ("AMD", "AMD"), ("MI308", "MI308"), ("U.S.", "USA")]


def test_names_need_capital_but_not_exact_case(kb_mini):
    assert ids("NVIDIA and Nvidia, but not nvidiaX; intel inside vs Intel", kb_mini) == [
        ("NVIDIA", "Nvidia"), ("Nvidia", "Nvidia"), ("Intel", "Intel")]


def test_longest_alias_wins(kb_mini):
    assert ids("The Bureau of Industry and Security at the Commerce Department", kb_mini) == [
        ("Bureau of Industry and Security", "Bureau of Industry and Security"),
        ("Commerce Department", "US Commerce Department")]
    assert ids("China's Commerce Ministry", kb_mini) == [("China's Commerce Ministry", "China Commerce Ministry"),
                                                     ("China", "CHN")]


def test_country_inside_a_longer_name_is_also_a_mention(kb_mini):
    # The longer name wins the span; the country it names is reported as an extra mention.
    assert ids("중국 상무부와 미국 상무부", kb_mini) == [
        ("중국 상무부", "China Commerce Ministry"), ("중국", "CHN"),
        ("미국 상무부", "US Commerce Department"), ("미국", "USA")]


def test_surname_after_full_name(kb_mini):
    text = "Tencent's Martin Example said so. Later Example added more. Guo Jiakun spoke; Guo repeated it."
    # Martin Example is not in the KB; Guo Jiakun is (a Chinese name: family name first).
    assert [(m.surface, m.id) for m in find_mentions(text, kb_mini) if m.type == "person"] == [
        ("Guo Jiakun", "Guo Jiakun"), ("Guo", "Guo Jiakun")]
    text = "David Sacks said it. Sacks repeated it."  # "Sacks" is already an alias: no duplicate rule needed
    assert [m.id for m in find_mentions(text, kb_mini)] == ["David Sacks", "David Sacks"]


def test_coordinated_department_names(kb_mini):
    text = "The application went to the Commerce, Industry and Security departments."
    assert [m.id for m in find_mentions(text, kb_mini)] == ["US Commerce Department"]


def test_korean_particles_and_prefixes(kb_mini):
    text = "엔비디아가 중국의 대중국 수출을 두고 트럼프는 중국산 칩을 말했다"
    assert ids(text, kb_mini) == [("엔비디아", "Nvidia"), ("중국", "CHN"), ("중국", "CHN"), ("트럼프", "Donald Trump"),
                             ("중국", "CHN")]


def test_korean_alias_inside_other_word_is_rejected(kb_mini):
    # 인텔리전스 is "intelligence", and 한국 inside 대한국인 is not preceded by a prefix we accept.
    assert ids("비즈니스 인텔리전스 도구와 인텔의 칩", kb_mini) == [("인텔", "Intel")]


def test_korean_spacing_variants(kb_mini):
    assert ids("젠슨 황 CEO와 젠슨황은", kb_mini) == [("젠슨 황 CEO", "Jensen Huang"), ("젠슨황", "Jensen Huang")]


def test_one_character_han_abbreviations(kb_mini):
    title = "엔비디아, 中 수출용 H20 막혀…美 정부 결정"
    assert ids(title, kb_mini, "title") == [("엔비디아", "Nvidia"), ("中", "CHN"), ("H20", "H20"), ("美", "USA")]
    # Inside Han words they are not countries; 中方 is its own alias; 中美 is a fixed pair.
    assert ids("集中精力。中方回应。推动中美合作", kb_mini) == [("中方", "CHN"), ("中", "CHN"), ("美", "USA")]


def test_chinese_has_no_word_boundaries(kb_mini):
    assert ids("英伟达H20芯片与昇腾910C对比，美国总统特朗普", kb_mini) == [
        ("英伟达", "Nvidia"), ("H20", "H20"), ("昇腾910C", "Ascend 910C"), ("美国", "USA"), ("特朗普", "Donald Trump")]


def test_transliteration_variants(kb_mini):
    assert [m.id for m in find_mentions("화웨이의 어센드 910C, Huawei Ascend910C, 华为", kb_mini)] == [
        "Huawei", "Ascend 910C", "Huawei", "Ascend 910C", "Huawei"]


def test_offsets_field_and_sentence_index(kb_mini):
    text = "Trump spoke. Then Xi Jinping replied."
    ms = find_mentions(text, kb_mini, "title")
    assert [(m.id, m.start, m.end, m.sentence, m.field) for m in ms] == [
        ("Donald Trump", 0, 5, 0, "title"), ("Xi Jinping", 18, 28, 1, "title")]


def test_matcher_is_cached_per_kb(kb_mini):
    assert matcher_for(kb_mini) is matcher_for(kb_mini)


def test_nested_short_form_of_another_countrys_body_is_not_reported(kb):
    from chipwatch.extract.mentions import find_mentions

    ids = {(m.type, m.id) for m in find_mentions("美国商务部宣布新规", kb)}
    assert ("organization", "US Commerce Department") in ids
    assert ("country", "USA") in ids
    assert ("organization", "China Commerce Ministry") not in ids
