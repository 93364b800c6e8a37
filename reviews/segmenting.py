"""Chinese has no spaces between words: jieba cuts a text into words (its dictionary ships in
the package, nothing is downloaded), so that 直播 finds 抖音直播带货. The search form of the
cut (cut_for_search) also yields the shorter words inside long ones."""

import logging
import re

import jieba

jieba.setLogLevel(logging.WARNING)

WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, in order, each once; punctuation and spaces dropped."""
    seen, found = set(), []
    for token in jieba.cut_for_search(text or ""):
        token = token.strip().lower()
        if token and WORD.fullmatch(token) and token not in seen:
            seen.add(token)
            found.append(token)
    return found


def segmented(*texts: str) -> str:
    """Texts as one string of words separated by spaces, for a full-text index."""
    return " ".join(words(" ".join(text for text in texts if text)))
