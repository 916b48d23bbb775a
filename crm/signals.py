"""Signals the CRM sends so that other apps can follow its changes without the CRM importing them."""

from django.dispatch import Signal

# Sent once, when a follow-up becomes done (not when it is completed a second time).
# Arguments: follow_up (with its outcome), user. The portal's reports (meldingen) listen to learn
# they are resolved.
follow_up_completed = Signal()

# Sent when completing a follow-up is undone (within crm.services.FOLLOW_UP_UNDO_MINUTES).
# Arguments: follow_up, user. A report resolved by the completion is open again and nobody is mailed.
follow_up_reopened = Signal()
