"""The newsletter app's admin, by subject (Wagtail imports this package; importing the modules
registers their hooks):

- `compose`: preview and test-send a newsletter ("Bekijk en test").
- `review`: no Publish button on newsletters (the review approves), unsent issues kept out of search.
- `sending`: the send screen ("Verzenden") with progress, pause, resume and cancel.
- `results`: the results screens, their menu item and page-listing button, and the blocked addresses.
- `drafting`: the AI editor ("Schrijf met AI", rewrites and alt text in the editor, the AI check).

The admin's view sets live in newsletter.viewsets.
"""

from newsletter.wagtail_hooks import compose, drafting, results, review, sending  # noqa: F401
