"""API authentication: `Authorization: Bearer <token>` with a token issued by POST /auth/token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from outsourcing.core.audit import attribute_request_to

from .models import ApiToken


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a token from POST /auth/token; revoked and expired tokens are refused."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            api_token = (
                ApiToken.objects.usable().select_related("user", "user__vendor").get(key_hash=ApiToken.hash(token))
            )
        except ApiToken.DoesNotExist:
            return None
        user = api_token.user
        if not user.is_active:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = user
        request.api_token = api_token  # type: ignore[attr-defined]
        attribute_request_to(user)
        return user
