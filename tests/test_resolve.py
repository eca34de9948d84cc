"""Entity resolution (issue #5): one real-world entity, one node.

Unit tests build their mentions by hand over short texts (a few lines from the
seeds, or written here), so they test resolution, not the recogniser. The last
tests check the issue's "done when" nodes and the merge summary through the real CLI.
"""

from __future__ import annotations

import csv
import json

from conftest import SEEDS, run_main
from newskg.extract.errors import Report
from newskg.extract.records import Article, Mention
from newskg.extract.resolution.relations import relations
from newskg.extract.resolution.resolve import resolve


def _art(text: str, aid: str = "a1") -> Article:
    return Article(id=aid, source="", title="", text=text)


def _m(art: Article, type_: str, text: str, nth: int = 0, **attrs: str) -> Mention:
    """The ``nth`` occurrence of ``text`` in ``art`` as a mention."""
    start = -1
    for _ in range(nth + 1):
        start = art.text.index(text, start + 1)
    return Mention(art.id, start, start + len(text), type_, text, attrs=dict(attrs))


def _labels(ms: list[Mention]) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in ms]


# -- declared aliases ----------------------------------------------------------------------------

SHAANXI = (
    "陕西建工材料设备物流有限公司（以下简称陕建物流）工会用实践作答：不光有数量，还要重质量。\n"
    "在建筑行业，陕西建工集团是一匹“黑马”，而陕建物流为其提供材料供应。"
)


def test_declared_short_form_resolves_to_full_name_later_in_article():
    art = _art(SHAANXI)
    full = "陕西建工材料设备物流有限公司"
    ms = resolve([_m(art, "ORG", full), _m(art, "ORG", "陕建物流", nth=1)], art)
    assert _labels(ms) == [(full, full), ("陕建物流", full)]
    assert {m.entity_id for m in ms} == {"org-陕西建工材料设备物流有限公司"}
    assert [m.rule for m in ms] == ["", "alias"]


def test_declared_alias_found_without_any_recognised_mention():
    art = _art(SHAANXI)
    ms = resolve([], art)
    assert _labels(ms)[0] == ("陕西建工材料设备物流有限公司", "陕西建工材料设备物流有限公司")
    assert {m.label for m in ms} == {"陕西建工材料设备物流有限公司"}
    assert len(ms) == 2


def test_organisation_starting_with_declared_alias_expands_it():
    art = _art("中国铁建电气化局集团（简称“电气化局”）成立。电气化局工会召开大会。")
    ms = resolve([_m(art, "ORG", "中国铁建电气化局集团"), _m(art, "ORG", "电气化局工会")], art)
    assert _labels(ms)[-1] == ("电气化局工会", "中国铁建电气化局集团工会")


def test_quoted_name_with_full_name_in_parentheses():
    art = _art("他加入了“全国妇女联”（中华全国妇女联合会）。全国妇女联发布通知。")
    ms = resolve([_m(art, "ORG", "全国妇女联", nth=1)], art)
    assert ms[-1].label == "中华全国妇女联合会"


def test_text_before_a_parenthesis_is_not_an_alias_unless_an_abbreviation():
    art = _art("今年“零工驿站”（2022年）开放。零工驿站很忙。")
    assert resolve([_m(art, "ORG", "零工驿站", nth=1)], art)[0].label == "零工驿站"


# -- abbreviations -------------------------------------------------------------------------------


def test_fixed_abbreviations_of_national_bodies():
    art = _art("全总、中组部和国网联合发文。")
    ms = resolve([_m(art, "ORG", t) for t in ("全总", "中组部", "国网")], art)
    assert [m.label for m in ms] == ["中华全国总工会", "中央组织部", "国家电网"]
    assert {m.rule for m in ms} == {"abbreviation"}


def test_place_union_short_form_is_the_union():
    # seeds/002: 北京市密云区总为劳模免费体检; seeds/000: 在河南省总支持下
    art = _art("北京市密云区总为劳模免费体检。在河南省总支持下，试点开始。")
    ms = resolve([_m(art, "PLACE", "北京市"), _m(art, "PLACE", "河南省")], art)
    assert _labels(ms) == [("北京市密云区总", "北京市密云区总工会"), ("河南省总", "河南省总工会")]
    assert {m.type for m in ms} == {"ORG"}


def test_zong_as_part_of_another_word_is_not_a_union():
    art = _art("河南省总书记考察。北京市总人口增加。")
    ms = resolve([_m(art, "PLACE", "河南省"), _m(art, "PLACE", "北京市")], art)
    assert [m.type for m in ms] == ["PLACE", "PLACE"]


# -- context-dependent short forms ---------------------------------------------------------------

MIYUN = (
    "连日来,北京市密云区总工会组织开展关爱劳模健康体检活动。\n"
    "密云区总对在职和退休劳模采取分批方式进行体检。区总协调医院建立职工电子健康档案。"
)


def test_district_union_short_forms_resolve_to_earlier_full_name():
    art = _art(MIYUN)
    ms = resolve([_m(art, "ORG", "北京市密云区总工会")], art)
    assert _labels(ms) == [
        ("北京市密云区总工会", "北京市密云区总工会"),
        ("密云区总", "北京市密云区总工会"),
        ("区总", "北京市密云区总工会"),
    ]
    assert [m.rule for m in ms] == ["", "union_short", "context"]


def test_bare_district_union_with_no_district_union_in_article_is_dropped():
    art = _art("体检活动开始。区总协调医院建立职工电子健康档案。西安市总工会也参加。")
    # found by resolution itself: not added at all
    assert [m.text for m in resolve([_m(art, "ORG", "区总"), _m(art, "ORG", "西安市总工会")], art)] == [
        "西安市总工会"
    ]
    report = Report()
    resolve([_m(art, "ORG", "区总"), _m(art, "ORG", "西安市总工会")], art, report)
    assert report.counts["unresolved_relative"] == 1  # not guessed: no node 区总


def test_relative_organs_take_the_latest_earlier_full_name_or_are_dropped():
    art = _art("青川县委召开会议。县委书记讲话，临江市委也派人参加。会后市委部署检查。镇党委也有安排。")
    ms = resolve(
        [_m(art, "ORG", t) for t in ("青川县委", "县委", "临江市委", "市委", "镇党委")], art, Report()
    )
    assert _labels(ms) == [
        ("青川县委", "青川县委"),
        ("县委", "青川县委"),
        ("临江市委", "临江市委"),
        ("市委", "临江市委"),
    ]  # 镇党委: no town committee named before it, so no node 镇党委 for every town
    assert {m.rule for m in ms[1::2]} == {"context"}
    alone = _art("市委召开会议。")
    assert resolve([_m(alone, "ORG", "市委")], alone) == []


def test_a_level_alone_before_a_name_is_relative_too():
    art = _art(
        "临江市青年志愿者协会成立。市青年志愿者协会会长讲话。"
        "省梅园研究会会长、乡卫生院院长和市场监督管理局都来了。"
    )
    names = ("临江市青年志愿者协会", "省梅园研究会", "乡卫生院", "市场监督管理局")
    given = [_m(art, "ORG", n) for n in names]
    given.insert(1, _m(art, "ORG", "市青年志愿者协会", 1))
    report = Report()
    ms = resolve(given, art, report)
    assert [(m.text, m.label, m.rule) for m in ms] == [
        ("临江市青年志愿者协会", "临江市青年志愿者协会", ""),
        ("市青年志愿者协会", "临江市青年志愿者协会", "context"),
        ("省梅园研究会", "梅园研究会", "level_prefix"),  # the name, not one node per province
        ("市场监督管理局", "市场监督管理局", ""),  # 市场 is a word: no level here
    ]
    assert report.counts["unresolved_relative"] == 1  # 乡卫生院: a level and a head, no node


def test_an_organisation_after_the_places_of_its_chain_takes_the_whole_name():
    art = _art("江门市蓬江区人民法院宣判。广州市、蓬江区人民法院。")
    given = [_m(art, "PLACE", "江门市"), _m(art, "ORG", "蓬江区人民法院"), _m(art, "PLACE", "广州市")]
    given.append(_m(art, "ORG", "蓬江区人民法院", 1))
    ms = [m for m in resolve(given, art) if m.type == "ORG"]
    assert [(m.text, m.label, m.rule) for m in ms] == [
        ("蓬江区人民法院", "江门市蓬江区人民法院", "place_chain"),
        ("蓬江区人民法院", "江门市蓬江区人民法院", "place_prefix"),  # not after 广州市: not its chain
    ]


def test_context_short_form_only_looks_back():
    art = _art("区总协调医院。北京市密云区总工会组织体检。")
    ms = resolve([_m(art, "ORG", "区总"), _m(art, "ORG", "北京市密云区总工会")], art)
    assert [m.label for m in ms] == ["北京市密云区总工会"]  # 区总 is not the union named after it


def test_this_city_union_is_the_city_union_named_before():
    art = _art("咸阳市总工会开展志愿服务活动。该市总工会还组织了慰问。")
    ms = resolve([_m(art, "ORG", "咸阳市总工会")], art)
    assert _labels(ms) == [("咸阳市总工会", "咸阳市总工会"), ("该市总工会", "咸阳市总工会")]


def test_this_company_is_the_company_named_before():
    art = _art("华东重型机械装备有限公司召开职代会。该公司工会主席讲话。")
    ms = resolve([_m(art, "ORG", "华东重型机械装备有限公司")], art)
    assert ms[1].text == "该公司"
    assert (ms[1].label, ms[1].rule) == ("华东重型机械装备有限公司", "context")


def test_bare_union_is_not_merged_into_a_place_union():
    art = _art("河南省总工会召开会议。总工会要求各级工会落实。")
    ms = resolve([_m(art, "ORG", "河南省总工会"), _m(art, "ORG", "总工会", nth=1)], art)
    assert ms[1].label == "总工会"


def test_organisation_without_its_place_prefix_after_full_name():
    art = _art("北京市丰台区总工会学党史。丰台区总工会开展理论学习。")
    ms = resolve([_m(art, "ORG", "北京市丰台区总工会"), _m(art, "ORG", "丰台区总工会")], art)
    assert [m.label for m in ms] == ["北京市丰台区总工会"] * 2
    assert ms[1].rule == "place_prefix"


# -- places --------------------------------------------------------------------------------------


def test_short_place_name_resolves_to_full_division_with_code():
    art = _art("河南、襄阳和新疆的干部。")
    ms = resolve([_m(art, "PLACE", t) for t in ("河南", "襄阳", "新疆")], art)
    assert [(m.label, m.attrs["code"]) for m in ms] == [
        ("河南省", "410000"),
        ("襄阳市", "420600"),
        ("新疆维吾尔自治区", "650000"),
    ]
    assert [m.entity_id for m in ms] == ["place-河南省", "place-襄阳市", "place-新疆维吾尔自治区"]


def test_ambiguous_place_is_settled_by_another_place_of_the_article():
    art = _art("北京的朝阳群众很热心。")
    ms = resolve([_m(art, "PLACE", "北京"), _m(art, "PLACE", "朝阳")], art)
    assert (ms[1].label, ms[1].attrs["code"]) == ("朝阳区", "110105")
    art = _art("长春的朝阳区有很多学校。")
    ms = resolve([_m(art, "PLACE", "长春"), _m(art, "PLACE", "朝阳区")], art)
    assert (ms[1].label, ms[1].attrs["code"]) == ("长春市朝阳区", "220104")


def test_ambiguous_place_alone_is_left_as_written():
    art = _art("朝阳的群众很热心。")
    (m,) = resolve([_m(art, "PLACE", "朝阳")], art)
    assert (m.label, m.rule, "code" in m.attrs) == ("朝阳", "", False)


def test_closest_place_of_the_article_settles_a_repeated_township_name():
    # two 黄堡镇: 湖北 保康县 (lowest code, plain name) and 陕西 铜川市 王益区 (qualified)
    art = _art("湖北省襄阳市保康县黄堡镇的校车。黄堡镇的学生。")
    ms = resolve([_m(art, "PLACE", "保康县"), _m(art, "PLACE", "黄堡镇", nth=1)], art)
    assert (ms[1].label, ms[1].attrs["code"]) == ("黄堡镇", "420626101")
    art = _art("铜川市王益区黄堡镇的陶瓷。黄堡镇的学生。")
    ms = resolve([_m(art, "PLACE", "王益区"), _m(art, "PLACE", "黄堡镇", nth=1)], art)
    assert (ms[1].entity_id, ms[1].attrs["code"]) == ("place-王益区黄堡镇", "610202100")


def test_a_province_alone_does_not_pick_one_of_many_townships():
    art = _art("四川的太平一带。")  # 四川省 has eight 太平镇
    ms = resolve([_m(art, "PLACE", "四川"), _m(art, "PLACE", "太平")], art)
    assert (ms[1].label, "code" in ms[1].attrs) == ("太平", False)


def test_place_chain_names_the_most_specific_division():
    art = _art("北京市密云区的劳模。")
    (m,) = resolve([_m(art, "PLACE", "北京市密云区")], art)
    assert (m.label, m.attrs["code"]) == ("密云区", "110118")


def test_we_country_is_china():
    art = _art("我国经济持续恢复。")
    (m,) = resolve([_m(art, "PLACE", "我国")], art)
    assert m.entity_id == "place-中国"


# -- people --------------------------------------------------------------------------------------


def test_partial_person_name_resolves_within_article():
    art = _art("“90后”姑娘如克亚木·麦提赛地是第四代。“我们要让民族团结代代相传。”如克亚木说。")
    ms = resolve([_m(art, "PERSON", "如克亚木·麦提赛地")], art)
    assert _labels(ms) == [("如克亚木·麦提赛地", "如克亚木·麦提赛地"), ("如克亚木", "如克亚木·麦提赛地")]
    assert ms[1].rule == "partial_name"


def test_surname_and_title_merged_only_with_a_unique_person_of_that_surname():
    art = _art("张建国到企业调研。张书记强调安全。")
    ms = resolve([_m(art, "PERSON", "张建国"), _m(art, "PERSON", "张书记")], art)
    assert ms[1].label == "张建国"
    two = _art("张建国和张卫东到企业调研。张书记强调安全。")
    ms = resolve([_m(two, "PERSON", t) for t in ("张建国", "张卫东", "张书记")], two)
    assert (ms[2].label, ms[2].rule) == ("张书记", "")


# -- relations -----------------------------------------------------------------------------------


def test_place_hierarchy_from_division_table_up_to_china():
    art = _art("保康县黄堡镇的校车。")
    ms = resolve([_m(art, "PLACE", "保康县"), _m(art, "PLACE", "黄堡镇")], art)
    chain = {(r.source, r.target, r.target_code) for r in relations(ms, art) if r.kind == "contained_in"}
    assert chain == {
        ("place-黄堡镇", "place-保康县", "420626"),
        ("place-保康县", "place-襄阳市", "420600"),
        ("place-襄阳市", "place-湖北省", "420000"),
        ("place-湖北省", "place-中国", ""),
    }


def test_organisation_is_located_in_the_most_specific_place_of_its_name():
    art = _art("国网山东莒县供电公司和河南省总工会。")
    ms = resolve([_m(art, "ORG", "国网山东莒县供电公司"), _m(art, "ORG", "河南省总工会")], art)
    rels = [r for r in relations(ms, art) if r.kind == "located_in"]
    assert {(r.source, r.target_label, r.target_code) for r in rels} == {
        ("org-国网山东莒县供电公司", "莒县", "371122"),
        ("org-河南省总工会", "河南省", "410000"),
    }


def test_organisation_not_named_after_a_place_has_no_location():
    art = _art("新华社报道，光明日报转载。")
    ms = resolve([_m(art, "ORG", "新华社"), _m(art, "ORG", "光明日报")], art)
    assert [r for r in relations(ms, art) if r.kind == "located_in"] == []


def test_role_stated_before_the_name_links_person_and_organisation():
    # seeds/002
    art = _art("会议通过了全总党组书记、副主席、书记处第一书记陈刚代表主席团作的工作报告。")
    ms = resolve([_m(art, "ORG", "全总"), _m(art, "PERSON", "陈刚")], art)
    (r,) = [r for r in relations(ms, art) if r.kind == "affiliated_with"]
    assert (r.source, r.target, r.target_label, r.role) == (
        "person-陈刚",
        "org-中华全国总工会",
        "中华全国总工会",
        "党组书记、副主席、书记处第一书记",
    )


def test_union_chair_is_affiliated_with_the_union_of_the_organisation():
    art = _art(SHAANXI + "\n说起工会工作，陕建物流工会主席张从军扳着指数出一长串。")
    ms = resolve([_m(art, "PERSON", "张从军")], art)
    (r,) = [r for r in relations(ms, art) if r.kind == "affiliated_with"]
    assert (r.target_label, r.role) == ("陕西建工材料设备物流有限公司工会", "主席")


def test_role_in_apposition_after_the_name():
    art = _art("王五，河南省总工会副主席，在会上发言。")
    ms = resolve([_m(art, "PERSON", "王五"), _m(art, "ORG", "河南省总工会")], art)
    (r,) = [r for r in relations(ms, art) if r.kind == "affiliated_with"]
    assert (r.source, r.target, r.role) == ("person-王五", "org-河南省总工会", "副主席")


def test_words_between_organisation_and_person_that_are_not_a_role_give_no_link():
    art = _art("河南省总工会召开会议后王五发言。")
    ms = resolve([_m(art, "ORG", "河南省总工会"), _m(art, "PERSON", "王五")], art)
    assert [r for r in relations(ms, art) if r.kind == "affiliated_with"] == []


def test_without_the_article_only_the_mentions_are_resolved():
    ms = resolve([Mention("a1", 0, 2, "ORG", "全总"), Mention("a1", 3, 5, "PLACE", "河南")])
    assert [(m.label, m.entity_id) for m in ms] == [
        ("中华全国总工会", "org-中华全国总工会"),
        ("河南省", "place-河南省"),
    ]


# -- ids and counts ------------------------------------------------------------------------------


def test_same_canonical_name_in_two_articles_is_one_entity():
    a, b = _art("全总发布通知。", "a1"), _art("中华全国总工会发布通知。", "a2")
    ida = resolve([_m(a, "ORG", "全总")], a)[0].entity_id
    idb = resolve([_m(b, "ORG", "中华全国总工会")], b)[0].entity_id
    assert ida == idb == "org-中华全国总工会"


def test_merges_are_counted_per_rule():
    art = _art(MIYUN + "\n全总和河南的工会。")
    report = Report()
    given = [_m(art, "ORG", "北京市密云区总工会"), _m(art, "ORG", "全总"), _m(art, "PLACE", "河南")]
    resolve(given, art, report)
    merged = {k: v for k, v in report.counts.items() if k.startswith("merged_")}
    assert merged == {
        "merged_union_short": 1,
        "merged_context": 1,
        "merged_abbreviation": 1,
        "merged_place": 1,
    }


def test_end_of_an_earlier_name_is_that_organisation():
    art = _art("长江中游城市群工会联盟成立。城市群工会联盟将组织交流。")
    ms = resolve([_m(art, "ORG", "长江中游城市群工会联盟"), _m(art, "ORG", "城市群工会联盟")], art)
    assert _labels(ms)[1] == ("城市群工会联盟", "长江中游城市群工会联盟")
    assert ms[1].rule == "name_suffix"


def test_a_company_written_with_and_without_its_legal_form_is_one_company():
    art = _art("湖南星光电器有限公司工会成立。星光电器公司工会将组织交流。")
    ms = resolve([_m(art, "ORG", "湖南星光电器有限公司工会"), _m(art, "ORG", "星光电器公司工会")], art)
    assert _labels(ms)[1] == ("星光电器公司工会", "湖南星光电器有限公司工会")


def test_a_bare_head_is_not_the_end_of_a_name():
    art = _art("河南省总工会召开会议。工会将组织交流。")
    ms = resolve([_m(art, "ORG", "河南省总工会"), _m(art, "ORG", "工会", nth=1)], art)
    assert _labels(ms)[1] == ("工会", "工会")


def test_bare_surname_is_the_only_person_of_that_name_or_dropped():
    report = Report()
    art = _art("王建国书记说，老王一直在一线。赵某也来了。")
    ms = resolve(
        [_m(art, "PERSON", "王建国"), _m(art, "PERSON", "王", nth=1), _m(art, "PERSON", "赵")], art, report
    )
    assert _labels(ms) == [("王建国", "王建国"), ("王", "王建国")]
    assert report.counts["unresolved_surname"] == 1


def test_one_character_province_and_country_short_forms():
    art = _art("粤港澳大湾区与中美经贸合作。")
    ms = resolve([_m(art, "PLACE", "港"), _m(art, "PLACE", "中"), _m(art, "PLACE", "美")], art)
    assert _labels(ms) == [("港", "香港特别行政区"), ("中", "中国"), ("美", "美国")]
    art = _art("中华大地处处春。")
    assert _labels(resolve([_m(art, "PLACE", "中华")], art)) == [("中华", "中国")]  # no node 中华 beside 中国


# -- the seed graph, through the real CLI --------------------------------------------------------


def test_seed_build_has_one_node_per_entity_and_prints_merges(tmp_path):
    out = tmp_path / "out"
    proc = run_main("build", str(SEEDS), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.splitlines() if x.startswith("merged mentions by rule: "))
    for rule in ("abbreviation", "alias", "context", "place", "union_short"):
        assert f" {rule} " in line
    dropped = next(x for x in proc.stdout.splitlines() if x.startswith("unresolved, dropped: "))
    assert " relative " in dropped and " surname " in dropped
    with open(out / "entities.csv", encoding="utf-8") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    expected = {
        "org-中华全国总工会": {"全总"},
        "org-陕西建工材料设备物流有限公司": {"陕建物流"},
        "place-河南省": {"河南"},
        "place-新疆维吾尔自治区": {"新疆"},
        # 密云区总工会 never stands alone in the seeds: it is the name without its city
        "org-北京市密云区总工会": {"密云区总工会", "密云区总"},
    }
    for eid, aliases in expected.items():
        assert aliases <= set(rows[eid]["aliases"].split("|")), eid
        # no other node of the same type is labelled with one of the aliases
        same_type = [r["label"] for r in rows.values() if r["type"] == rows[eid]["type"]]
        assert not aliases & set(same_type), eid
    assert rows["place-河南省"]["code"] == "410000"
    assert rows["place-新疆维吾尔自治区"]["parent"] == "place-中国"
    # a relative organ with no full name before it is no node
    assert not {"org-市委", "org-县委", "org-区总"} & set(rows)


def test_headline_mentions_resolve_with_the_text_and_point_into_the_title(tmp_path):
    # An invented story: the headline uses the short form, the text the full name.
    src = tmp_path / "story.txt"
    src.write_text("南湖区总工会开展送清凉活动\n\n浙江省嘉兴市南湖区总工会近日开展送清凉活动。\n", "utf-8")
    out = tmp_path / "out"
    proc = run_main("build", str(src), "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    with open(out / "entities.csv", encoding="utf-8") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    union = rows["org-浙江省嘉兴市南湖区总工会"]
    assert {"南湖区总工会", "嘉兴市南湖区总工会"} <= set(union["aliases"].split("|"))
    assert int(union["mentions"]) == 2  # the text and the headline
    lines = [json.loads(x) for x in (out / "mentions.jsonl").read_text("utf-8").splitlines()]
    arts = {a["id"]: a for a in map(json.loads, (out / "articles.jsonl").read_text("utf-8").splitlines())}
    in_title = [m for m in lines if m.get("field") == "title"]
    assert in_title, lines
    for m in in_title:
        assert arts[m["article_id"]]["title"][m["start"] : m["end"]] == m["text"]


# -- names the context shows to be no names (issue #24) ------------------------------------------


def test_zhonghua_of_zhonghua_minzu_is_not_china():
    art = _art("各族人民都是中华民族大家庭的一员，中国的发展离不开大家。")
    report = Report()
    ms = resolve([_m(art, "PLACE", "中华"), _m(art, "PLACE", "中国")], art, report)
    assert _labels(ms) == [("中国", "中国")]
    assert report.counts["unresolved_people_word"] == 1


def test_one_character_place_kept_only_in_an_abbreviation_context():
    art = _art("粤港澳三地签约，代表团在京出席；京东与台州企业合作，抗台防汛不停歇。")
    ms = resolve(
        [
            _m(art, "PLACE", "粤"),
            _m(art, "PLACE", "港"),
            _m(art, "PLACE", "京"),
            _m(art, "PLACE", "京", nth=1),
            _m(art, "PLACE", "台", nth=1),
        ],
        art,
    )
    assert [(m.text, m.label, m.start) for m in ms] == [
        ("粤", "广东省", 0),
        ("港", "香港特别行政区", 1),
        ("京", "北京市", art.text.index("在京") + 1),
    ]
    art = _art("中方代表与台商座谈。")
    ms = resolve([_m(art, "PLACE", "中"), _m(art, "PLACE", "台")], art)
    assert _labels(ms) == [("中", "中国"), ("台", "台湾")]
    art = _art("中、美两国企业对华投资增长。")
    ms = resolve([_m(art, "PLACE", "中"), _m(art, "PLACE", "美"), _m(art, "PLACE", "华")], art)
    assert _labels(ms) == [("中", "中国"), ("美", "美国"), ("华", "中国")]


def test_single_character_alias_not_kept_outside_an_abbreviation_context(tmp_path):
    # 中阿 is an abbreviation context, 华为、京东 is not: 北京市 gets no alias 京.
    src = tmp_path / "story.txt"
    src.write_text("两国企业签约\n\n中阿企业在北京签约，华为、京东等企业参加了北京的签约仪式。\n", "utf-8")
    out = tmp_path / "out"
    proc = run_main("build", str(src), "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    with open(out / "entities.csv", encoding="utf-8") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    assert "京" not in rows["place-北京市"]["aliases"].split("|")
    assert "中" in rows["place-中国"]["aliases"].split("|")


def test_level_before_yishang_ends_the_place_name():
    # 河南县以上 = Henan at county level and above: 河南 is the place, 河南县 no alias of it.
    art = _art("目前，河南县以上工会都已建立服务站，湖北省级以下单位也已跟进。")
    ms = resolve([_m(art, "PLACE", "河南县"), _m(art, "PLACE", "湖北省")], art)
    assert _labels(ms) == [("河南", "河南省"), ("湖北", "湖北省")]
    assert ms[0].end == art.text.index("县")


def test_union_named_by_a_range_of_levels_is_no_organisation():
    art = _art("目前，河南县以上工会都已建立服务站，县以上工会要带头。")
    report = Report()
    ms = resolve([_m(art, "ORG", "河南县以上工会"), _m(art, "ORG", "县以上工会")], art, report)
    assert [(m.text, m.label, m.type) for m in ms] == [("河南", "河南省", "PLACE")]
    assert report.counts["unresolved_level_range"] == 1


def test_a_known_short_form_before_a_head_names_that_bodys_part():  # issue #24
    a = _art("全总党组和文联党组分别召开会议。")
    ms = resolve([_m(a, "ORG", "全总党组"), _m(a, "ORG", "文联党组")], a)
    assert _labels(ms)[0] == ("全总党组", "中华全国总工会党组")
    assert all(m.rule in ("abbreviation", "") for m in ms)


def test_the_short_form_in_its_own_declaration_names_the_full_body():
    # issue #24: 捷韵物流 inside （以下简称捷韵物流）, found by a rule, is the company it stands for
    art = _art("浙江捷韵现代物流有限公司（以下简称捷韵物流）成立工会。")
    full = "浙江捷韵现代物流有限公司"
    ms = resolve([_m(art, "ORG", full), _m(art, "ORG", "捷韵物流")], art)
    assert _labels(ms) == [(full, full), ("捷韵物流", full)]


def test_a_townships_short_form_alone_names_no_township():
    # issue #24: a word or a brand spelt like a township's short form is not the township
    # without a place of its own around it; the full name, or the district before it, is
    from newskg.extract.recognition.place_names import candidates, choose

    assert choose(candidates("苏家坨"), name="苏家坨") is None
    assert choose(candidates("苏家坨镇"), name="苏家坨镇").name == "苏家坨镇"
    assert choose(candidates("苏家坨"), context=candidates("海淀区"), name="苏家坨").name == "苏家坨镇"
