"""Signals the CRM sends so that other apps can follow its changes without the CRM importing them."""

from django.dispatch import Signal

# Sent once, when a follow-up becomes done (not when it is completed a second time).
# Arguments: follow_up, user. The portal's reports (meldingen) listen to learn they are resolved.
follow_up_completed = Signal()
