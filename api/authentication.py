"""`Authorization: Bearer <token>`: the only way into the API (no session, so no CSRF)."""

from rest_framework import authentication, exceptions

from api.tokens import token_find, token_touch


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the header as: Authorization: Bearer <token>."
            )
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        token = token_find(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(
                "The token is not valid, has expired or was revoked."
            )
        token_touch(token)
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) when no or a bad token is sent.
        return self.keyword
