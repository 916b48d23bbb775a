"""Each channel's limits and habits, counted the way the networks count."""

import pytest

from social import channels
from social.channels import Channel

LINK = "https://www.veldhaven.example/agenda/koopzondag-20-december-met-kerstmarkt-en-live-muziek"


def test_x_counts_a_link_as_23_characters_however_long_it_is():
    composed = channels.compose(Channel.X, text="Koopzondag!", link=LINK)
    assert composed == f"Koopzondag!\n\n{LINK}"
    assert len(composed) > 90
    assert channels.length(Channel.X, composed) == len("Koopzondag!\n\n") + 23


def test_x_post_of_exactly_280_with_a_link_fits_and_one_more_character_does_not():
    text = "a" * (280 - 2 - 23)  # text, blank line, link
    assert not channels.check(Channel.X, text=text, link=LINK)
    problems = channels.check(Channel.X, text=text + "b", link=LINK)
    assert [p.code for p in problems] == ["too_long"]
    assert "281" in problems[0].message and "280" in problems[0].message


def test_x_counts_emoji_double():
    assert channels.length(Channel.X, "🎄") == 2
    assert channels.length(Channel.MASTODON, "🎄") == 1


def test_mastodon_counts_links_as_23_too_linkedin_counts_them_as_typed():
    assert channels.length(Channel.MASTODON, LINK) == 23
    assert channels.length(Channel.LINKEDIN, LINK) == len(LINK)


def test_instagram_leaves_the_link_out_of_the_post_and_refuses_a_link_in_the_text():
    composed = channels.compose(Channel.INSTAGRAM, text="Kerstmarkt op zondag", link=LINK, hashtags="kerst")
    assert LINK not in composed
    assert composed.endswith("#kerst")
    problems = channels.check(Channel.INSTAGRAM, text=f"Kijk op {LINK}")
    assert [p.code for p in problems] == ["link_not_clickable"]
    assert problems[0].blocking


def test_whatsapp_uses_no_hashtags():
    composed = channels.compose(Channel.WHATSAPP, text="Beste ondernemers,", hashtags="#kerst")
    assert "#" not in composed
    codes = [p.code for p in channels.check(Channel.WHATSAPP, text="Beste ondernemers,", hashtags="#kerst")]
    assert codes == ["hashtags_not_used"]


def test_too_many_hashtags_for_x():
    problems = channels.check(Channel.X, text="Kerst", hashtags="#a #b #c")
    assert [p.code for p in problems] == ["too_many_hashtags"]


def test_linkedin_allows_3000_and_warns_past_what_works():
    assert [p.code for p in channels.check(Channel.LINKEDIN, text="x" * 2000)] == ["long"]
    assert [p.code for p in channels.check(Channel.LINKEDIN, text="x" * 3001)] == ["too_long"]
    assert not channels.check(Channel.FACEBOOK, text="Zaterdag kerstmarkt.")


def test_empty_post_is_refused():
    assert [p.code for p in channels.check(Channel.FACEBOOK, text="  ")] == ["empty"]


def test_hashtags_are_parsed_with_or_without_hash_and_deduplicated():
    assert channels.parse_hashtags("koopzondag, #Veldhaven #koopzondag") == ["#koopzondag", "#Veldhaven"]
    assert channels.parse_hashtags(["kerst", "#markt"]) == ["#kerst", "#markt"]


@pytest.mark.parametrize("channel", [Channel.X, Channel.MASTODON])
def test_shorten_cuts_at_a_word_never_mid_word(channel):
    words = "Op zondag twintig december zijn de winkels in de binnenstad open van twaalf tot vijf uur".split()
    text = " ".join(words * 8)
    shortened, changed = channels.shorten(channel, text=text, link=LINK, hashtags="kerst")
    assert changed
    assert shortened.endswith("…")
    assert shortened[:-1].split()[-1] in words  # the last word is whole
    assert channels.length(
        channel, channels.compose(channel, text=shortened, link=LINK, hashtags="kerst")
    ) <= (channels.rule(channel).max_chars)


def test_shorten_prefers_whole_sentences():
    text = "Zondag is de binnenstad open. " + "Er is veel te doen in de stad en op de markt. " * 10
    shortened, changed = channels.shorten(Channel.X, text=text)
    assert changed and shortened.endswith(".")


def test_shorten_leaves_a_single_overlong_word_alone():
    text = "x" * 400
    assert channels.shorten(Channel.X, text=text) == (text, False)


def test_rules_for_the_counter_come_from_the_same_table():
    rules = channels.rules_for_js()
    assert rules["x"]["max"] == 280 and rules["x"]["urlWeight"] == 23
    assert rules["instagram"]["linkInText"] is False
    assert rules["whatsapp"]["hashtags"] is False
    assert set(rules) == {c.value for c in Channel}
