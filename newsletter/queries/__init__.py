"""Read paths of the newsletter app that several views, tasks and the board's statistics share."""
