"""Secrets recognised by their shape: access tokens, keys, and passwords written out.

Token shapes come from detect-secrets, whose plugins follow each vendor's documented
formats (AWS, Slack, Stripe, GitHub, GitLab, OpenAI, private keys, JWTs, …). Its plugins
are used one by one through ``analyze_string``, which is pure: no settings, no files, no
network (the plugins' ``verify`` is never called). A few shapes its plugins leave out are
added here: Slack refresh and app-level tokens, an AWS secret access key without quotes
around it, and passwords as people write them in prose ("passphrase: …", "the password
is …"). The keyword vocabulary is detect-secrets' own.
"""

from __future__ import annotations

import re

from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.basic_auth import BasicAuthDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.keyword import DENYLIST
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.private_key import PrivateKeyDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
from detect_secrets.plugins.twilio import TwilioKeyDetector

from bot.core.sensitive_kinds import Sensitive

# The plugins whose shapes cannot be ordinary words or numbers, each with what to call
# its find. Left out on purpose: the high-entropy and keyword plugins (they flag any long
# word or "secret: …" in prose), public IP addresses (not secrets), and plugins matching
# a couple of letters and a run of characters (Artifactory, IBM, SoftLayer, Cloudant).
_PLUGINS: tuple[tuple[RegexBasedDetector, Sensitive], ...] = (
    (PrivateKeyDetector(), Sensitive.PRIVATE_KEY),
    (SlackDetector(), Sensitive.SLACK_TOKEN),
    (AWSKeyDetector(), Sensitive.AWS_KEY),
    (StripeDetector(), Sensitive.STRIPE_KEY),
    (GitHubTokenDetector(), Sensitive.GITHUB_TOKEN),
    (JwtTokenDetector(), Sensitive.LOGIN_TOKEN),
    (BasicAuthDetector(), Sensitive.URL_PASSWORD),
    *(
        (plugin, Sensitive.ACCESS_TOKEN)
        for plugin in (
            AzureStorageKeyDetector(),
            DiscordBotTokenDetector(),
            GitLabTokenDetector(),
            MailchimpDetector(),
            OpenAIDetector(),
            PypiTokenDetector(),
            SendGridDetector(),
            SquareOAuthDetector(),
            TelegramBotTokenDetector(),
            TwilioKeyDetector(),
        )
    ),
)

# Any PEM private key header ("ENCRYPTED", "DSA", …); the plugin knows a fixed few.
_PRIVATE_KEY_HEADER = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")
# Fine-grained personal access tokens, newer than detect-secrets' GitHub pattern.
_GITHUB_FINE_GRAINED = re.compile(r"(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{20,}")
# Refresh ("xoxe-1-…"), rotating ("xoxe.xoxp-1-…") and app-level ("xapp-1-…") tokens,
# which detect-secrets' Slack pattern does not know.
_SLACK_OTHER_TOKENS = re.compile(r"(?<![A-Za-z0-9])(?:xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]{8,}")

# An AWS secret access key is 40 base64 characters; quoted after "aws…key" detect-secrets
# finds it, pasted bare it is told from a long identifier or a path by its mix of cases and
# digits and by its entropy (detect-secrets' own measure and default limit).
_AWS_SECRET_LENGTH = 40
_AWS_SECRET_SHAPE = re.compile(rf"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{{{_AWS_SECRET_LENGTH}}}(?![A-Za-z0-9/+=])")
_ENTROPY = Base64HighEntropyString()

# "password: …", "db_password=…", "API key := …", "Passphrase : …": a secret-sounding
# name (detect-secrets' list, whose "api_?key" is also written "api-key" and "API key"),
# as a whole word or joined to others by "_"/"-", then an assignment and a value. No
# prefix is matched and the name's tail is possessive (``*+``), so nothing backtracks:
# a crafted 3,000 characters still scan in milliseconds.
# "pw" is how people shorten it in chat ("wifi pw: …"); detect-secrets' list has "pwd" only.
_KEYWORDS = "|".join(word.replace("_?", r"[_\s-]?") for word in (*DENYLIST, "passphrase", "passcode", "pw"))
_ASSIGNED = re.compile(
    rf"(?i)(?:(?<![a-z0-9])|(?<=[_-]))(?:{_KEYWORDS})(?:[_-][a-z0-9]+)*+"
    r"""\s*["'\]]{0,2}\s*(?::=?|={1,3})\s*["'`]?[^\s"'`]"""
)
# "the password is hunter2", "my passphrase was: …" — but not "the password is expired".
_SAID = re.compile(
    r"(?i)\b(?:password|passphrase|passcode|passwd|pwd|pw)\s+(?:is|was|will be)\s*:?\s+"
    r"(?!(?:a|an|the|not|now|still|being|too|in|on|at|for|expired|changed|changing|reset|"
    r"wrong|incorrect|invalid|required|needed|missing|set|stored|saved|shared|sent|weak|"
    r"strong|long|short|case|same|different|here|there|below|above|attached)\b)\S"
)

_MORE_SHAPES: tuple[tuple[re.Pattern[str], Sensitive], ...] = (
    (_PRIVATE_KEY_HEADER, Sensitive.PRIVATE_KEY),
    (_SLACK_OTHER_TOKENS, Sensitive.SLACK_TOKEN),
    (_GITHUB_FINE_GRAINED, Sensitive.GITHUB_TOKEN),
    (_ASSIGNED, Sensitive.PASSWORD),
    (_SAID, Sensitive.PASSWORD),
)


def find_secret(text: str) -> Sensitive | None:
    """Describe the first secret in ``text`` (e.g. "a Stripe key"), or None."""
    for plugin, kind in _PLUGINS:
        for found in plugin.analyze_string(text):
            return _more_precisely(kind, found)
    if _holds_aws_secret_key(text):  # before passwords: "aws_secret_access_key = …" is one
        return Sensitive.AWS_SECRET
    return next((kind for pattern, kind in _MORE_SHAPES if pattern.search(text)), None)


def _more_precisely(kind: Sensitive, found: str) -> Sensitive:
    """One plugin finds two kinds of thing: name the one it found."""
    if kind == Sensitive.SLACK_TOKEN and found.lower().startswith("https"):
        return Sensitive.SLACK_WEBHOOK
    if kind == Sensitive.AWS_KEY and len(found) == _AWS_SECRET_LENGTH:
        return Sensitive.AWS_SECRET
    return kind


def _holds_aws_secret_key(text: str) -> bool:
    return any(_looks_random(match.group()) for match in _AWS_SECRET_SHAPE.finditer(text))


def _looks_random(candidate: str) -> bool:
    mixed = (
        any(c.isupper() for c in candidate)
        and any(c.islower() for c in candidate)
        and any(c.isdigit() for c in candidate)
    )
    return mixed and _ENTROPY.calculate_shannon_entropy(candidate) >= _ENTROPY.entropy_limit
