"""What the sensitive-data guard can find, each named as the refusal tells the person."""

from __future__ import annotations

from enum import StrEnum


class Sensitive(StrEnum):
    CARD = "a payment card number"
    SLACK_TOKEN = "a Slack token"
    SLACK_WEBHOOK = "a Slack webhook URL"
    AWS_KEY = "an AWS access key"
    AWS_SECRET = "an AWS secret access key"
    STRIPE_KEY = "a Stripe key"
    GITHUB_TOKEN = "a GitHub token"
    PRIVATE_KEY = "a private key"
    LOGIN_TOKEN = "a login token (JWT)"
    ACCESS_TOKEN = "an access token"
    URL_PASSWORD = "a password inside a link"
    PASSWORD = "a password"
