"""Email: what a build made for a client, as drafts to send or sent through the clinic's server."""
