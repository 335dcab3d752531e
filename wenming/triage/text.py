"""Chinese text for triage: segmentation (rjieba, a binding of the maintained jieba-rs), the
analyzers the model's vectorizers use, and key words for topic checks.

The analyzers are module-level functions so a pickled pipeline refers to them by name.
A model's input document is `document(title, description, region_codes)`: the text, then a
separator, then the codes of the case's region and its ancestors, which become `R:<code>`
features (the unit responsible often depends on the street, not on the words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import rjieba

REGION_SEPARATOR = "\x1f"
_HAN_OR_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{2,}")
_DIGITS = re.compile(r"\d+")

# Words that say nothing about the topic (function words, politeness, stock phrases of
# complaints and replies). Kept short on purpose: TF-IDF already discounts common words.
_STOP = """的 了 是 在 有 和 就 都 也 还 又 很 太 再 把 被 让 给 对 向 从 到 与 及 或 等 着 过 吗 呢 吧 啊 呀
    我 我们 你 你们 他 她 它 他们 这 那 这个 那个 这里 那里 这些 那些 什么 怎么 一个 一些 没有 没 不 请
    希望 麻烦 尽快 相关 部门 处理 解决 问题 情况 反映 反应 市民 群众 现在 目前 已经 已 一直 经常 每天
    好几天 几天 好多 非常 特别 严重 影响 附近 旁边 门口 周边 号 楼 单元 路 街 小区 社区 附件 照片
    您好 你好 谢谢 感谢 您 工作人员 我单位 我局 经 现 已于 进行 及时 情况属实"""
STOP_WORDS = frozenset(_STOP.split())


def segment(text: str) -> list[str]:
    """Words of a Chinese text (rjieba's accurate mode, HMM for unknown words)."""
    return [w for w in rjieba.cut(text) if w.strip()]


def document(title: str, description: str, region_codes: Iterable[str] = ()) -> str:
    """The model's input for one case."""
    return f"{title}\n{description}{REGION_SEPARATOR}{' '.join(region_codes)}"


def _split(doc: str) -> tuple[str, str]:
    text, _, regions = doc.partition(REGION_SEPARATOR)
    return text, regions


def word_analyzer(doc: str) -> list[str]:
    """Word unigrams and bigrams of the text (numbers folded), plus region features."""
    text, regions = _split(doc)
    words = [_DIGITS.sub("0", w) for w in segment(text) if _HAN_OR_WORD.search(w)]
    grams = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return grams + [f"R:{code}" for code in regions.split()]


def char_text(doc: str) -> str:
    """The text part only, for the character n-gram vectorizer (robust to segmentation)."""
    return _DIGITS.sub("0", _split(doc)[0])


def key_words(text: str) -> set[str]:
    """Content words of a text: segmented, without stop words, punctuation and numbers."""
    return {
        w
        for w in segment(text)
        if len(w) > 1 and w not in STOP_WORDS and _HAN_OR_WORD.search(w) and not w.isdigit()
    }


def meaningful_length(text: str) -> int:
    """Characters that carry content (Han characters, letters, digits)."""
    return sum(1 for ch in text if ch.isalnum())
