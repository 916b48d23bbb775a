"""Every social channel's limits and habits, in one place.

The Python checks (social.services) and the editor's live counter (static/social/counter.js, fed
with `rules_for_js()`) both read these rules, so the counter and the validation always agree.

Counting follows the networks' own rules where they differ from plain characters: X (twitter-text
v3) counts every link as 23 characters and characters outside the Latin, punctuation and similar
ranges (e.g. emoji, CJK) as 2; Mastodon counts every link as 23 characters too.
"""

import re
from dataclasses import asdict, dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    LINKEDIN = "linkedin", "LinkedIn"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    MASTODON = "mastodon", "Mastodon"
    WHATSAPP = "whatsapp", _("WhatsApp (street groups)")


@dataclass(frozen=True)
class ChannelRule:
    key: str
    max_chars: int  # the network's hard limit, counted its way
    advised_chars: int  # what works on the channel; more gives a warning, not an error
    url_weight: int | None  # a link counts as this many characters (None: as typed)
    wide_weight: int  # weight of a character outside the narrow ranges (X: 2)
    link_in_text: bool  # the post's link is added to the text (Instagram: not clickable)
    hashtags: bool  # the channel uses hashtags
    max_hashtags: int
    habit: str  # one line for the editor and the prompt


RULES: dict[str, ChannelRule] = {
    Channel.LINKEDIN: ChannelRule(
        "linkedin",
        3000,
        1300,
        None,
        1,
        True,
        True,
        5,
        _("Professional tone; open with the point; three to five hashtags at the end."),
    ),
    Channel.FACEBOOK: ChannelRule(
        "facebook",
        63206,
        500,
        None,
        1,
        True,
        True,
        3,
        _("Friendly and short; one clear call to action; at most a few hashtags."),
    ),
    Channel.INSTAGRAM: ChannelRule(
        "instagram",
        2200,
        1000,
        None,
        1,
        False,
        True,
        30,
        _("Links are not clickable in a post: refer to the link in the bio; hashtags at the end."),
    ),
    Channel.X: ChannelRule(
        "x",
        280,
        280,
        23,
        2,
        True,
        True,
        2,
        _("At most 280 characters, a link counts as 23; one or two hashtags."),
    ),
    Channel.MASTODON: ChannelRule(
        "mastodon",
        500,
        500,
        23,
        1,
        True,
        True,
        5,
        _("At most 500 characters, a link counts as 23; hashtags help people find the post."),
    ),
    Channel.WHATSAPP: ChannelRule(
        "whatsapp",
        4096,
        700,
        None,
        1,
        True,
        False,
        0,
        _("A short message to the entrepreneurs' street group: personal, no hashtags."),
    ),
}

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
HASHTAG_RE = re.compile(r"#?([^\s#,;]+)")
# twitter-text v3: these code point ranges weigh 1, everything else weighs `wide_weight`.
NARROW_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def rule(channel: str) -> ChannelRule:
    return RULES[channel]


def parse_hashtags(value) -> list[str]:
    """'#koopzondag, Veldhaven #kerst' or a list → ['#koopzondag', '#Veldhaven', '#kerst']."""
    if isinstance(value, (list, tuple)):
        value = " ".join(str(item) for item in value)
    seen, tags = set(), []
    for match in HASHTAG_RE.finditer(value or ""):
        word = match.group(1).strip(".!?:")
        if word and word.lower() not in seen:
            seen.add(word.lower())
            tags.append(f"#{word}")
    return tags


def compose(channel: str, *, text: str, link: str = "", hashtags=()) -> str:
    """The post as it is pasted into the network: text, then the link, then the hashtags."""
    channel_rule = rule(channel)
    parts = [(text or "").strip()]
    if link and channel_rule.link_in_text and link not in parts[0]:
        parts.append(link.strip())
    tags = parse_hashtags(hashtags) if channel_rule.hashtags else []
    if tags:
        parts.append(" ".join(tags))
    return "\n\n".join(part for part in parts if part)


def _char_weight(char: str, wide_weight: int) -> int:
    code = ord(char)
    return 1 if any(low <= code <= high for low, high in NARROW_RANGES) else wide_weight


def length(channel: str, composed: str) -> int:
    """The length of a composed post as the network counts it."""
    channel_rule = rule(channel)
    total, position = 0, 0
    for match in URL_RE.finditer(composed) if channel_rule.url_weight else ():
        total += sum(_char_weight(c, channel_rule.wide_weight) for c in composed[position : match.start()])
        total += channel_rule.url_weight
        position = match.end()
    total += sum(_char_weight(c, channel_rule.wide_weight) for c in composed[position:])
    return total


@dataclass(frozen=True)
class Problem:
    code: str  # too_long | long | link_not_clickable | hashtags_not_used | too_many_hashtags | empty
    message: str
    blocking: bool  # True: the post cannot go for review like this


def check(channel: str, *, text: str, link: str = "", hashtags=()) -> list[Problem]:
    """What is wrong with a post for its channel; an empty list when it fits."""
    channel_rule = rule(channel)
    problems = []
    if not (text or "").strip():
        problems.append(Problem("empty", str(_("The post has no text.")), True))
    composed = compose(channel, text=text, link=link, hashtags=hashtags)
    used = length(channel, composed)
    if used > channel_rule.max_chars:
        problems.append(
            Problem(
                "too_long",
                str(_("%(used)s of at most %(max)s characters on %(channel)s: %(over)s too many."))
                % {
                    "used": used,
                    "max": channel_rule.max_chars,
                    "channel": Channel(channel).label,
                    "over": used - channel_rule.max_chars,
                },
                True,
            )
        )
    elif used > channel_rule.advised_chars:
        problems.append(
            Problem(
                "long",
                str(_("%(used)s characters: longer than the %(advised)s that work well on %(channel)s."))
                % {"used": used, "advised": channel_rule.advised_chars, "channel": Channel(channel).label},
                False,
            )
        )
    if not channel_rule.link_in_text and URL_RE.search(text or ""):
        problems.append(
            Problem(
                "link_not_clickable",
                str(_("Links in an Instagram post are not clickable: refer to the link in the bio instead.")),
                True,
            )
        )
    tags = parse_hashtags(hashtags)
    if tags and not channel_rule.hashtags:
        problems.append(
            Problem(
                "hashtags_not_used",
                str(_("%(channel)s does not use hashtags; they are left out."))
                % {"channel": Channel(channel).label},
                False,
            )
        )
    elif len(tags) > channel_rule.max_hashtags:
        problems.append(
            Problem(
                "too_many_hashtags",
                str(_("%(count)s hashtags; at most %(max)s on %(channel)s."))
                % {"count": len(tags), "max": channel_rule.max_hashtags, "channel": Channel(channel).label},
                True,
            )
        )
    return problems


def shorten(channel: str, *, text: str, link: str = "", hashtags=()) -> tuple[str, bool]:
    """The text cut to fit the channel at a sentence or word boundary, with "…"; never mid-word.

    Returns (text, shortened). When even one word does not fit, the text is returned unchanged
    (and check() flags it), rather than cut into something meaningless.
    """
    channel_rule = rule(channel)

    def fits(candidate: str) -> bool:
        return (
            length(channel, compose(channel, text=candidate, link=link, hashtags=hashtags))
            <= channel_rule.max_chars
        )

    text = (text or "").strip()
    if fits(text):
        return text, False
    words = text.split(" ")
    # Prefer whole sentences; otherwise as many whole words as fit, then an ellipsis.
    sentences = re.split(r"(?<=[.!?])\s+", text)
    for count in range(len(sentences) - 1, 0, -1):
        candidate = " ".join(sentences[:count])
        if fits(candidate):
            return candidate, True
    for count in range(len(words) - 1, 0, -1):
        candidate = " ".join(words[:count]).rstrip(",;:-–") + "…"
        if fits(candidate):
            return candidate, True
    return text, False


def rules_for_js() -> dict:
    """The rules the editor's counter needs, JSON-able."""
    return {
        key: {
            "max": r.max_chars,
            "advised": r.advised_chars,
            "urlWeight": r.url_weight,
            "wideWeight": r.wide_weight,
            "linkInText": r.link_in_text,
            "hashtags": r.hashtags,
            "maxHashtags": r.max_hashtags,
            "label": str(Channel(key).label),
            "habit": str(r.habit),
        }
        for key, r in RULES.items()
    }


def as_prompt_options(channels) -> dict:
    """The limits and habits of the chosen channels, for the drafting request's options."""
    return {
        key: {**{k: v for k, v in asdict(RULES[key]).items() if k != "habit"}, "habit": str(RULES[key].habit)}
        for key in channels
    }
