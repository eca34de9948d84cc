"""Campaigns, events and numbered national meetings (issue #24, the rule half).

No public corpus annotates campaigns or events, so rules find them; each test is a
sentence written here (never a seed sentence), run through the real recogniser and
resolution.
"""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
from conftest import ROOT, run_main
from newskg.extract.recognition.recognise import recognise
from newskg.extract.records import Article
from newskg.extract.resolution.resolve import resolve


def _article(text: str) -> Article:
    return Article(id="t", source="", title="", text=text)


def found(text: str) -> set[tuple[str, str]]:
    return {(m.text, m.type) for m in recognise(_article(text))}


def labels(text: str) -> set[tuple[str, str, str]]:
    """(text, type, label) of every resolved mention of ``text``."""
    art = _article(text)
    return {(m.text, m.type, m.label) for m in resolve(recognise(art), art)}


# -- numbered party congresses and plenums -------------------------------------------------------

CONGRESS_20 = "中国共产党第二十次全国代表大会"
PLENUM_19_6 = "中国共产党第十九届中央委员会第六次全体会议"


@pytest.mark.parametrize(
    "text, name",
    [
        ("各地干部群众认真学习党的二十大报告。", "党的二十大"),
        ("二十大胜利闭幕后，工厂里掀起了学习热潮。", "二十大"),
        ("中共二十大代表走进社区宣讲。", "中共二十大"),
        ("中国共产党第二十次全国代表大会在北京开幕。", CONGRESS_20),
    ],
)
def test_every_short_form_of_the_twentieth_congress_is_one_event(text, name):
    assert (name, "EVENT", CONGRESS_20) in labels(text)


def test_numbered_congress_is_never_an_organisation():
    got = labels("党的十八大以来，职工们的生活一年比一年好，十九大又提出了新目标。")
    assert ("党的十八大", "EVENT", "中国共产党第十八次全国代表大会") in got
    assert ("十九大", "EVENT", "中国共产党第十九次全国代表大会") in got
    assert not {t for t in got if t[1] == "ORG" and "大" in t[0][-1:]}


def test_plenum_short_and_full_forms_are_one_event():
    assert ("十九届六中全会", "EVENT", PLENUM_19_6) in labels("车间里的老师傅也在谈十九届六中全会。")
    full = "党的十九届中央委员会第六次全体会议"
    assert (full, "EVENT", PLENUM_19_6) in labels(f"{full}审议通过了决议。")


def test_plenum_after_the_party_centres_name_is_still_the_plenum():
    assert ("十九届六中全会", "EVENT", PLENUM_19_6) in labels("中共中央十九届六中全会审议通过了决议。")


def test_npc_and_cppcc_sessions_are_named_in_full():
    got = labels("代表们赴京参加十四届全国人大一次会议和全国政协十四届一次会议。")
    assert (
        "十四届全国人大常委会第五次会议",
        "EVENT",
        "第十四届全国人民代表大会常务委员会第五次会议",
    ) in labels("十四届全国人大常委会第五次会议审议了草案。")
    assert ("十四届全国人大一次会议", "EVENT", "第十四届全国人民代表大会第一次会议") in got
    assert ("全国政协十四届一次会议", "EVENT", "中国人民政治协商会议第十四届全国委员会第一次会议") in got


@pytest.mark.parametrize(
    "text",
    ["公司推出十八大类新产品。", "这里有八大景点。", "全市十二大行业都在增长。", "他当选全市十大杰出青年。"],
)
def test_big_numbers_that_are_no_congress(text):
    assert not {t for t in found(text) if t[1] == "EVENT"}


def test_congress_short_forms_are_one_node_in_the_build(tmp_path):
    src = tmp_path / "story.txt"
    src.write_text(
        "职工学习二十大精神\n\n某某公司职工认真学习党的二十大精神。大家说，二十大为我们指明了方向。\n",
        "utf-8",
    )
    out = tmp_path / "out"
    proc = run_main("build", str(src), "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    with open(out / "entities.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if "二十" in r["label"]]
    assert [(r["type"], r["label"]) for r in rows] == [("EVENT", CONGRESS_20)]
    assert {"党的二十大", "二十大"} <= set(rows[0]["aliases"].split("|"))


@pytest.mark.parametrize("text", ["中国工会第十八次全国代表大会在京开幕。", "中国工会十八大代表走进车间。"])
def test_another_bodys_national_congress_is_not_the_partys(text):
    assert not {t for t in labels(text) if t[2].startswith("中国共产党")}


# -- campaigns -----------------------------------------------------------------------------------


def campaign_labels(text: str) -> set[tuple[str, str]]:
    """(text, label) of every resolved CAMPAIGN mention of ``text``."""
    return {(t, label) for t, type_, label in labels(text) if type_ == "CAMPAIGN"}


def test_quoted_names_sharing_one_head_are_one_campaign_each():
    got = campaign_labels("车间开展“读好书”“练技能”“献良策”活动，职工踊跃参加。")
    assert got == {
        ("“读好书”", "“读好书”活动"),
        ("“练技能”", "“练技能”活动"),
        ("“献良策”", "“献良策”活动"),
    }


def test_quoted_names_joined_by_and_or_etc_share_the_head():
    got = campaign_labels("社区举办“邻里守望”、“家门口就业”和“银龄课堂”等服务活动。")
    assert got == {
        ("“邻里守望”", "“邻里守望”服务活动"),
        ("“家门口就业”", "“家门口就业”服务活动"),
        ("“银龄课堂”", "“银龄课堂”服务活动"),
    }


def test_a_shared_head_campaign_is_the_same_node_as_the_campaign_named_alone():
    one = campaign_labels("厂里开展“读好书”“练技能”活动。")
    alone = campaign_labels("厂里开展“练技能”活动。")
    assert ("“练技能”活动", "“练技能”活动") in alone
    assert {label for _, label in alone} <= {label for _, label in one}


def test_quoted_slogan_with_a_modified_head_is_a_campaign():
    name = "“奋斗新时代·建功新征程——争做最美劳动者”主题宣传教育"
    got = campaign_labels(f"各地工会广泛开展{name}，反响热烈。")
    assert (name, name) in got


def test_quoted_words_with_no_head_are_no_campaigns():
    assert campaign_labels("他们化身“快递员”“清运工”和“大白”，着力解决“老大难”“两张皮”等问题。") == set()


@pytest.mark.parametrize(
    "text, name",
    [
        ("省里全面实施职工素质提升工程。", "职工素质提升工程"),
        ("我们要深化产业工人队伍建设改革。", "产业工人队伍建设改革"),
        ("全市持续开展社区减负专项行动。", "社区减负专项行动"),
        ("各地深入实施创新驱动发展战略。", "创新驱动发展战略"),
        ("今年启动新时代产业工人技能提升行动计划。", "新时代产业工人技能提升行动计划"),
    ],
)
def test_unquoted_programme_with_a_modifier_is_a_campaign(text, name):
    assert (name, name) in campaign_labels(text)


@pytest.mark.parametrize(
    "text",
    [
        "大家要推进各项改革，做好这项工作。",
        "推进重点工程，实施一项计划，以实际行动迎接检查。",
        "基层治理是一项系统工程，双方签订了战略合作协议。",
        "这让局长切身感到改革的重要作用。",
        "协会组织会员努力探索经济体制改革。",
    ],
)
def test_generic_phrases_are_no_campaigns(text):
    assert campaign_labels(text) == set()


def test_programme_named_by_a_known_campaign_is_that_campaign():
    assert campaign_labels("全县实施乡村振兴战略。") == {("乡村振兴", "乡村振兴")}


# -- events named by their purpose, competitions with a year -------------------------------------


def events_found(text: str) -> set[str]:
    return {t for t, type_ in found(text) if type_ == "EVENT"}


@pytest.mark.parametrize(
    "text, name",
    [
        ("昨天举行了庆祝某某市老年书画协会成立30周年大会。", "庆祝某某市老年书画协会成立30周年大会"),
        ("他出席纪念某某中学建校一百周年座谈会并讲话。", "纪念某某中学建校一百周年座谈会"),
        ("日前召开的全国工会宣传工作会议提出新要求。", "全国工会宣传工作会议"),
        ("会议传达了中央农村工作会议精神。", "中央农村工作会议"),
        ("她参加了全国物流行业工会研讨会。", "全国物流行业工会研讨会"),
        ("本市将举办2024年全市职工职业技能大赛。", "2024年全市职工职业技能大赛"),
        ("中国工会第十八次全国代表大会在京开幕。", "中国工会第十八次全国代表大会"),
        ("近日，湖北省总工会第九次代表大会在武汉召开。", "湖北省总工会第九次代表大会"),
    ],
)
def test_meetings_named_by_purpose_and_competitions_with_a_year_are_events(text, name):
    assert name in events_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "2023年以来开展的劳动竞赛覆盖全市。",
        "2021年召开的会议研究了这项工作。",
        "全国各地召开座谈会，大家畅所欲言。",
        "第一次会议和第五次全体会议都很顺利。",  # whose meeting? no node for every body's first
        "这支球队四届打入世界杯。",
        "他第一次从北京人民大会堂走出来。",
    ],
)
def test_dates_and_ordinary_meetings_are_no_events(text):
    assert events_found(text) == set()


def test_an_events_short_name_in_the_same_article_is_that_event():
    text = "2023中国西部国际农业博览会今天开幕。记者在2023农博会现场看到了新品种。"
    assert ("2023农博会", "EVENT", "2023中国西部国际农业博览会") in labels(text)


def test_an_event_with_other_numbers_is_another_event():
    # a committee and one session of it: 全总十届执委会 is not short for 全总十届三次执委会
    got = labels("会议由全总十届执委会主持，全总十届三次执委会通过了决议。")
    assert {(t, label) for t, type_, label in got if type_ == "EVENT"} == {
        ("全总十届执委会", "全总十届执委会"),
        ("全总十届三次执委会", "全总十届三次执委会"),
    }


def test_a_long_run_of_head_modifiers_is_read_at_once():
    # Article text is untrusted: 志愿服务 parses as one modifier or two (志愿|服务), so an
    # unbounded run of them after a quoted name took 2^n steps to find no head. A child
    # process, so that a regression fails by the time limit instead of hanging the suite.
    code = (
        "from newskg.extract.recognition.campaigns import campaigns\n"
        "from newskg.extract.doc import make_doc\n"
        "from newskg.extract.records import Article\n"
        "t = '工会开展“送清凉”' + '志愿服务' * 40 + 'x。'\n"
        "print(len(campaigns(make_doc(Article('a', '', '', t)))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0"


def test_quoted_phrases_ending_like_a_campaign_are_no_campaigns():
    text = "他们提出“为大家服务”的口号，又在“某某大银行”和“星光科技创新联盟”之间牵线。"
    assert campaign_labels(text) == set()


def test_a_quoted_organisation_name_is_an_organisation():
    got = found("会上成立了“某某市青年工匠创新工作室联盟”，并向“红星机械研究中心”授牌。")
    assert {("某某市青年工匠创新工作室联盟", "ORG"), ("红星机械研究中心", "ORG")} <= got
    assert not {t for t in got if t[1] == "CAMPAIGN"}


def test_quoted_titles_are_no_organisations():
    got = found("全县评出十个“先锋模范党支部”，三连获“钢铁英雄大队”荣誉称号。")
    assert not {t for t in got if t[0] in ("先锋模范党支部", "钢铁英雄大队")}


def test_one_campaign_written_with_other_separators_is_one_node(tmp_path):
    src = tmp_path / "story.txt"
    text = "开展“护河 护湖”志愿服务活动\n\n某某社区开展“护河·护湖”志愿服务活动，居民踊跃参加。\n"
    src.write_text(text, "utf-8")
    out = tmp_path / "out"
    proc = run_main("build", str(src), "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    with open(out / "entities.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["type"] == "CAMPAIGN"]
    assert len(rows) == 1 and int(rows[0]["mentions"]) == 2, rows
