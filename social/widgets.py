"""The text box with a live character counter that counts the way the chosen channel does."""

import json

from django import forms

from social import channels


class CounterTextarea(forms.Textarea):
    """A textarea that shows "123 / 280" under it, following the channel, link and hashtag fields.

    The rules come from social.channels, the same ones the server checks with.
    """

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 8, **(attrs or {})})

    def get_context(self, name, value, attrs):
        attrs = {**(attrs or {}), "data-social-counter": json.dumps(channels.rules_for_js())}
        return super().get_context(name, value, attrs)

    @property
    def media(self):
        return forms.Media(js=["social/counter.js"], css={"all": ["social/social.css"]})
